/**
 * Word lists of the quotation analyser, written by hand from general English usage (not mined from any corpus):
 * reporting verbs and their forms, adverbs and auxiliaries that sit between a speaker and its verb, pronouns,
 * determiners, titles and the abbreviations that do not end a sentence.
 */

/**
 * The inflected forms of a regular verb: base, -s, -ed, -ing.
 *
 * @param base Base form.
 * @returns Forms.
 */
function inflect(base: string): string[] {
  const irregular: Record<string, string[]> = {
    say: ['say', 'says', 'said', 'saying'],
    tell: ['tell', 'tells', 'told', 'telling'],
    write: ['write', 'writes', 'wrote', 'written', 'writing'],
    go: ['go', 'goes', 'went', 'going'],
    shoot: ['shoot', 'shoots', 'shot', 'shooting'],
    hit: ['hit', 'hits', 'hitting'],
    speak: ['speak', 'speaks', 'spoke', 'spoken', 'speaking'],
    think: ['think', 'thinks', 'thought', 'thinking'],
    feel: ['feel', 'feels', 'felt', 'feeling'],
    know: ['know', 'knows', 'knew', 'known', 'knowing'],
    see: ['see', 'sees', 'saw', 'seen', 'seeing'],
    find: ['find', 'finds', 'found', 'finding'],
    show: ['show', 'shows', 'showed', 'shown', 'showing'],
    cry: ['cry', 'cries', 'cried', 'crying'],
    forecast: ['forecast', 'forecasts', 'forecasted', 'forecasting'],
    post: ['post', 'posts', 'posted', 'posting'],
    begin: ['begin', 'begins', 'began', 'begun', 'beginning'],
    put: ['put', 'puts', 'putting'],
    read: ['read', 'reads', 'reading'],
    sing: ['sing', 'sings', 'sang', 'sung', 'singing'],
  };
  if (irregular[base]) return irregular[base]!;
  const doubled = new Set(['admit', 'quip', 'slam', 'commit', 'refer', 'concur', 'snap', 'plan', 'regret', 'rebut', 'stop', 'chat', 'jab', 'quiz', 'prod']);
  if (doubled.has(base)) {
    const last = base[base.length - 1]!;
    return [base, `${base}s`, `${base}${last}ed`, `${base}${last}ing`];
  }
  if (base.endsWith('ee')) return [base, `${base}s`, `${base}d`, `${base}ing`];
  if (base.endsWith('e')) return [base, `${base}s`, `${base}d`, `${base.slice(0, -1)}ing`];
  if (/[^aeiou]y$/.test(base)) return [base, `${base.slice(0, -1)}ies`, `${base.slice(0, -1)}ied`, `${base}ing`];
  if (/(s|sh|ch|x|z)$/.test(base)) return [base, `${base}es`, `${base}ed`, `${base}ing`];
  return [base, `${base}s`, `${base}ed`, `${base}ing`];
}

/**
 * A set of every form of some verbs.
 *
 * @param bases Space-separated base forms.
 * @returns Set of forms.
 */
function forms(bases: string): Set<string> {
  const out = new Set<string>();
  for (const base of bases.split(/\s+/).filter(Boolean)) for (const form of inflect(base)) out.add(form);
  return out;
}

/** Verbs that introduce speech or writing, direct or reported ("said", "told", "tweeted", "insisted"). */
export const SPEECH_VERBS = forms(`
  say tell add ask note write explain insist warn declare announce reply respond answer argue claim tweet
  state remark urge acknowledge concede suggest recall vow emphasize emphasise stress reiterate confirm deny testify
  report admit observe comment mention assert maintain contend counter retort shout yell scream chant whisper cry
  exclaim muse wonder predict promise pledge boast brag joke quip complain lament caution allege agree disagree
  conclude propose recommend demand plead recount interject proclaim protest repeat reveal disclose inform assure
  blog email text tout thank apologize apologise estimate affirm confide grumble murmur mutter rage rant reflect scoff
  sigh snap sneer speculate gush marvel fret concur echo elaborate clarify opine posit rebut inquire enquire query
  quiz remind reason guess hint imply signal indicate threaten reassure chide scold lecture advise instruct order
  forecast hail praise criticize criticise blast slam attack mock decry denounce condemn dismiss question challenge
  accuse charge describe call dub label brand term characterize characterise deem declare defend jab
  post write summarize summarise underscore highlight acknowledge swear exult rail
  bemoan lambast lambaste ridicule taunt tease insult laud applaud congratulate welcome reject refute contest
  dispute disagree object demur correct cite
`);

/** Verbs that introduce a quotation only when they stand right next to it ("“…,” she began", "he read"). */
export const QUOTE_ONLY_VERBS = forms(`
  begin start open close finish resume read sing intone chant interrupt interject sigh snap cry laugh smile shrug
  nod giggle chuckle grin whisper shout yell scream murmur mutter gasp groan sob beam wave add continue remember
  implore beg exhort retaliate concede offer quote
`);

/** Verbs that frame a partial quotation by describing it ("called it a “disgrace”", "dubbed him …"). */
export const DESCRIBING_VERBS = forms(`
  call dub label brand term describe characterize characterise deem refer name nickname praise criticize criticise
  blast slam attack mock decry denounce condemn dismiss accuse charge hail laud tout promise pledge vow warn urge
  cite quote invoke echo use adopt coin reject ridicule deride lambast lambaste complain insist
`);

/** Verbs of thinking and showing: attributions that are not speech (used for partial quotes and "other" cues). */
export const OTHER_CUE_VERBS = forms(`
  think believe feel hope want fear expect know see worry show find suggest seem appear consider view regard
  recognize recognise understand predict estimate calculate conclude determine decide plan intend wish prefer
  support oppose endorse back reject blame credit insist agree
`);

/** Particles that belong to a reporting verb: "pointed out", "went on", "shot back", "summed up". */
export const CUE_PARTICLES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['point', new Set(['out'])],
  ['points', new Set(['out'])],
  ['pointed', new Set(['out'])],
  ['pointing', new Set(['out'])],
  ['went', new Set(['on'])],
  ['goes', new Set(['on'])],
  ['go', new Set(['on'])],
  ['going', new Set(['on'])],
  ['shot', new Set(['back'])],
  ['fired', new Set(['back'])],
  ['hit', new Set(['back', 'out'])],
  ['lashed', new Set(['out'])],
  ['spoke', new Set(['out'])],
  ['summed', new Set(['up'])],
  ['sums', new Set(['up'])],
  ['wrote', new Set(['back'])],
  ['called', new Set(['for', 'on'])],
  ['calls', new Set(['for', 'on'])],
  ['referred', new Set(['to'])],
  ['refers', new Set(['to'])],
  ['referring', new Set(['to'])],
  ['put', new Set(['it'])],
  ['puts', new Set(['it'])],
]);

/** Verbs that are speech cues only with their particle ("went on", "shot back"), not alone. */
export const NEEDS_PARTICLE = new Set(['put', 'puts', 'point', 'points', 'pointed', 'pointing', 'went', 'goes', 'go', 'going', 'shot', 'fired', 'hit', 'lashed', 'spoke', 'summed', 'sums', 'referred', 'refers', 'referring']);

/** The most common reporting verbs: the ones a bare "NP VERB." after a quote uses. */
export const CORE_SPEECH = forms('say tell add ask write explain continue tweet reply respond answer note insist argue warn declare');

/** Adverbs that may sit between the speaker and the verb, or after the verb ("also said", "said later"). */
export const ADVERBS = new Set(
  `also later then once previously recently repeatedly often again even just still now already earlier first further
   finally simply reportedly publicly privately openly bluntly famously flatly quickly quietly never always
   subsequently separately similarly likewise meanwhile yesterday today tonight recently however moreover too
   herself himself themselves itself myself ourselves perhaps`.split(/\s+/).filter(Boolean),
);

/** Auxiliaries and negation that may precede a reporting verb ("has said", "would not say", "did n't"). */
export const AUXILIARIES = new Set(
  `has have had would will could can did does do is was were are am be been being may might must should shall not
   never n't also`.split(/\s+/).filter(Boolean),
);

/** Personal and relative pronouns that can be a speaker. */
export const SUBJECT_PRONOUNS = new Set(['he', 'she', 'they', 'i', 'we', 'it', 'you', 'who', 'which']);

/** Words that open a noun phrase. */
export const DETERMINERS = new Set(
  `the a an his her their its our my your one another some many several two three four five six seven eight nine
   ten both all most few other these those this that each every no any such`.split(/\s+/).filter(Boolean),
);

/** Titles that may precede a name; lower-cased, without the final period. */
export const TITLES = new Set(
  `mr mrs ms miss dr sen senator rep representative gov governor president vice secretary minister prime
   chancellor judge justice gen general lt col capt adm sgt maj prof professor rev reverend father pope king queen
   prince princess sheikh sheik mayor chairman chairwoman chair speaker leader commissioner attorney ambassador
   spokesman spokeswoman spokesperson director chief ceo officer deputy former sir lord lady dame archbishop
   bishop cardinal rabbi imam emir sultan ayatollah candidate nominee congressman congresswoman councilman
   councilwoman councilor superintendent sheriff coach host anchor moderator founder executive analyst manager
   press campaign strategist adviser advisor aide economist professor author columnist chairperson`.split(/\s+/).filter(Boolean),
);

/** Titles that mark a man or a woman. */
export const MALE_TITLES = new Set(['mr', 'sir', 'lord', 'king', 'prince', 'father', 'spokesman', 'chairman', 'congressman', 'councilman', 'sheikh', 'sheik', 'pope', 'rabbi', 'imam', 'emir', 'sultan', 'ayatollah']);
export const FEMALE_TITLES = new Set(['mrs', 'ms', 'miss', 'lady', 'dame', 'queen', 'princess', 'spokeswoman', 'chairwoman', 'congresswoman', 'councilwoman']);

/** Abbreviations whose period does not end a sentence (lower-cased, without the period). */
export const ABBREVIATIONS = new Set(
  `mr mrs ms dr st sen rep gov gen lt col capt maj sgt adm prof rev jr sr inc corp co ltd no vs etc jan feb mar apr
   jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn
   miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo ft mt gov approx dept univ ave blvd messrs mssrs
   cmdr supt det insp cpl pvt fr hon`.split(/\s+/).filter(Boolean),
);

/** Words that are capitalised at the start of a sentence but are never names. */
export const FUNCTION_WORDS = new Set(
  `a an the this that these those it its in on at to of for from by with and or but as after before since when
   while if not no yes he she they we i you his her their our my your there here what who which why how where some
   many most all any each every both other such also however meanwhile earlier later now then still today
   yesterday tomorrow asked told said says according speaking despite during under over about into through
   because although though so yet nor just only even instead indeed perhaps maybe last next first new one two
   three four five six seven eight nine ten more less much very well again already once do does did is was were
   are be been has have had will would can could should may might must let let's thanks thank please dear
   sources source officials critics supporters analysts experts observers aides people until unless whereas
   whether`.split(/\s+/).filter(Boolean),
);

/** Nouns that often head a speaker noun phrase ("the spokesman", "a source", "officials", "the statement"). */
export const ROLE_NOUNS = new Set(
  `spokesman spokeswoman spokesperson spokespeople official officials source sources aide aides adviser advisers
   advisor advisors minister ministers president secretary senator senators lawmaker lawmakers governor leader
   leaders director chief chairman chairwoman chair lawyer lawyers attorney attorneys analyst analysts expert experts
   economist economists strategist strategists statement report campaign committee ministry department agency
   police prosecutor prosecutors judge mayor candidate nominee critic critics supporter supporters voter voters
   resident residents witness witnesses researcher researchers scientist scientists study poll polls survey
   document documents memo letter people person man woman men women group organization organisation company firm
   party administration government author authors reporter reporters editor editors newspaper network website site
   account ad video book article column email tweet release filing lawsuit complaint ruling court member members
   friend friends father mother son daughter wife husband sister brother colleague colleagues student students
   worker workers employee employees owner founder executive executives manager coach player players doctor doctors
   nurse teacher teachers professor pastor host anchor moderator narrator questioner speaker protester protesters
   activist activists donor donors veteran veterans soldier soldiers officer officers agent agents diplomat
   diplomats ambassador envoy negotiator representative representatives delegate delegates insider insiders
   observer observers commentator commentators pundit pundits columnist writer historian biographer pollster
   pollsters army military ministry union board council commission panel team staff staffer staffers operative
   operatives consultant consultants organizer organizers official spokesmen officials investigators investigator
   authorities authority congressman congresswoman republican republicans democrat democrats candidate candidates
   businessman businesswoman billionaire mogul star actor actress singer rapper comedian musician journalist
   journalists blogger bloggers fan fans user users parent parents mom dad child children kid kids teenager
   neighbor neighbors neighbour neighbours customer customers patient patients victim victims survivor survivors
   mother-in-law father-in-law filmmaker director producer tweet post transcript notice announcement`.split(/\s+/).filter(Boolean),
);

/** Pronoun genders. */
export const MALE_PRONOUNS = new Set(['he', 'him', 'his', 'himself']);
export const FEMALE_PRONOUNS = new Set(['she', 'her', 'hers', 'herself']);

/** Words that open an adverbial before a sentence's subject ("In a statement, …", "Speaking on Monday, …"). */
export const PREPOSITIONS_START = new Set(
  `in on at during after before from with for by despite under over following since while when as amid among
   speaking asked addressing writing responding appearing interviewed talking earlier later last this within
   without throughout upon unlike like according if though although because once until`.split(/\s+/).filter(Boolean),
);

/** Nouns of speech that a possessive speaker owns: "Trump's claim that …", "her promise to …". */
export const SPEECH_NOUNS = new Set(
  `claim claims statement statements remark remarks comment comments assertion assertions words promise promises
   pledge vow warning warnings description argument suggestion insistence tweet tweets speech message plea
   complaint accusation allegation response reply answer question announcement admission prediction boast quip
   joke line slogan motto phrase characterization characterisation call calls demand demands charge criticism
   description rhetoric declaration testimony view views position stance proposal plan mantra refrain`.split(/\s+/).filter(Boolean),
);

/** Common irregular past forms: they end a noun phrase read without a tagger ("the former president spoke"). */
export const IRREGULAR_PAST = new Set(
  `said told wrote went came spoke made took gave got held kept left met put ran saw sent set stood thought won
   brought bought caught fought found heard knew led lost meant paid read rose sat sold struck swore taught tore
   threw understood woke became began broke chose drew drove fell felt flew forgot grew hid hit hung laid lay let
   shook shot shut slid split spread stuck sang swung withdrew`.split(/\s+/).filter(Boolean),
);
