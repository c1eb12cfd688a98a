/**
 * Word lists of the boilerplate analyser: function words ("stop words") of common languages, and the
 * call-to-action vocabulary of web pages.
 *
 * Origin: written by hand from general knowledge of the languages (the most frequent function words, as in the
 * Snowball and jusText stop lists) and of web-page chrome (the vocabulary listed in docs `boilerplate-rules.md`:
 * trafilatura, Readability, C4, boilerpipe). Nothing here was mined from any data set.
 */

/** Function words of English, Portuguese, Spanish, French, Italian, German, Dutch, Indonesian and Russian. */
const STOP_WORDS_TEXT = `
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over
own same she should so some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your its it's don't
which whose yet upon among within without however also many much one two said says

o os as um uma uns umas de do da dos das em no na nos nas por para com sem sob sobre que se não mais muito
como mas ou ao aos à às pelo pela pelos pelas é foi são ser está estão era eles elas ele ela seu sua seus suas
isso este esta esse essa também já quando onde há nem lhe entre depois até

el la los las un una unos unas del al en y o pero con por para sin sobre que se no más muy como es son fue
era está están ser lo le les su sus este esta ese esa también ya cuando donde hay ni entre hasta desde

le la les un une des du de et ou mais avec pour par sans sur dans que qui ne pas plus très comme est sont été
était être il elle ils elles son sa ses ce cette ces aussi déjà quand où au aux leur leurs nous vous on se y en

il lo la i gli le un uno una di del della dei delle degli da dal dalla in nel nella con per su tra fra che
non più come è sono stato era essere ha hanno anche già quando dove ci si questo questa quello quella al alla

der die das den dem des ein eine einen einem einer und oder aber mit für von zu im in auf an bei aus nach
nicht auch noch wie ist sind war wird werden hat haben sich es er sie wir ihr dass als wenn so nur

de het een en of maar met voor van te in op aan bij uit naar niet ook nog hoe is zijn was wordt worden heeft
hebben zich er zij wij dat als dan wel

yang dan di ke dari untuk dengan pada ini itu adalah tidak akan juga dalam atau oleh karena sebagai bisa ada
telah sudah lebih saat mereka kami kita ia

и в во не что он она оно они на я с со как а то все так его ее её но да ты к у же вы за бы по только
мне было вот от меня еще ещё нет о из ему теперь когда уже для это этот эта эти при был была были быть
`;

/** Function words, lower case. */
export const STOP_WORDS: ReadonlySet<string> = new Set(STOP_WORDS_TEXT.split(/\s+/).filter(Boolean));

/**
 * Call-to-action and chrome vocabulary: words that rarely stand in a short line of an article but often in
 * buttons, menus and prompts. Lower case, matched as whole words.
 */
const CHROME_WORDS_TEXT = `
subscribe subscribed subscriber subscribers subscription newsletter newsletters unsubscribe signup login logout
log sign register registration account password username share shares shared tweet retweet facebook twitter
instagram linkedin pinterest whatsapp reddit tumblr youtube flipboard email e-mail print comments comment
reply replies cookie cookies privacy terms advertisement advertise advertising sponsored ad ads menu search
home skip loading load click tap here download app apps install trending popular recommended related
previous next more follow followers rss podcast podcasts video videos gallery photos watch listen
copyright rights reserved contact about careers jobs sitemap feedback help faq store shop cart checkout
buy deals coupon coupons offer offers premium sale
compartilhe compartilhar assine assinante leia veja mais entrar cadastre publicidade comentários
comparte suscríbete suscribirse compartir lee más iniciar sesión publicidad comentarios
partager abonnez abonner lire aussi connexion publicité commentaires
condividi iscriviti accedi leggi anche pubblicità commenti
teilen abonnieren anmelden lesen mehr werbung kommentare
bagikan berlangganan masuk baca juga iklan komentar
поделиться подписаться подписка войти читать также реклама комментарии
`;

/** Chrome words, lower case. */
export const CHROME_WORDS: ReadonlySet<string> = new Set(CHROME_WORDS_TEXT.split(/\s+/).filter(Boolean));

/** Month names and abbreviations in the languages above (for date lines). */
const MONTHS_TEXT = `
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
januar februar märz april mai juni juli august september oktober november dezember
januari februari maret april mei juni juli agustus september oktober november desember
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
`;

/** Month names, lower case. */
export const MONTHS: ReadonlySet<string> = new Set(MONTHS_TEXT.split(/\s+/).filter(Boolean));

/** Weekday names (English and a few others), lower case. */
export const WEEKDAYS: ReadonlySet<string> = new Set(
  `monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
   segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo lunes martes miércoles jueves viernes
   lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag`
    .split(/\s+/)
    .filter(Boolean),
);
