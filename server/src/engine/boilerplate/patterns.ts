/**
 * Word patterns of site chrome, each with its category and a reason a person can read. Kept in one table so
 * the analyser stays small and the patterns can be reviewed in one place. They are general web-page
 * vocabulary (see the corpus pipelines' rules: C4, Gopher, jusText), not words mined from any data set.
 */
import type {BoilerplateCategory} from '../types.js';

/** One pattern rule. */
export interface PatternRule {
  category: BoilerplateCategory;
  pattern: RegExp;
  reason: string;
  /** Longest line (in words) the rule applies to: a long prose line that mentions "subscribe" is not chrome. */
  maxWords: number;
  score: number;
}

export const PATTERN_RULES: readonly PatternRule[] = Object.freeze([
  {category: 'promotion', pattern: /\b(newsletters?|subscribe|subscription|sign[ -]?up|enter your e-?mail|in your inbox)\b/i, reason: 'newsletter or subscription prompt', maxWords: 16, score: 0.95},
  {category: 'promotion', pattern: /\b(download|install|get)\b.{0,30}\bapps?\b|\bapp\b.{0,30}\b(home ?screen|store|google play)\b|^[\w ]{0,20}\binstall$/i, reason: 'app promotion', maxWords: 12, score: 0.9},
  {category: 'promotion', pattern: /\b(advertisement|sponsored( content)?|promoted|ad feedback)\b/i, reason: 'advertising label', maxWords: 5, score: 0.9},
  {category: 'share', pattern: /^(follow us|like us|share (this|on|via)|share$|tweet$|email$|print$|whatsapp$|facebook$|twitter$|linkedin$|pinterest$|reddit$)/i, reason: 'share or follow prompt', maxWords: 14, score: 0.95},
  {category: 'share', pattern: /\b(follow us|share this (article|story)|to stay connected|click to share|comments?\s*\(\d+\))\b/i, reason: 'share or follow prompt', maxWords: 14, score: 0.9},
  {category: 'legal', pattern: /©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bterms (of|and) (use|service|conditions)\b|\bprivacy (policy|notice)\b|\bcookies?\b.{0,40}\b(policy|settings|consent|accept)\b/i, reason: 'copyright or legal notice', maxWords: 25, score: 0.95},
  {category: 'caption', pattern: /\[(getty|file|photo|image|reuters|ap|afp|epa)[^\]]*\]\s*$|\b(photo|image|picture|credit)s?\s*:\s*\S|\bvia (ap|getty|reuters|afp|epa)( photo| images)?\b|\((ap|afp|reuters|getty images|epa) photo[^)]*\)/i, reason: 'photo caption or credit', maxWords: 80, score: 0.85},
  {category: 'metadata', pattern: /^\d+\s*(min(ute)?s?|hours?)\s*(read|ago)$/i, reason: 'reading time', maxWords: 4, score: 0.95},
  {category: 'metadata', pattern: /^(?:[Bb]y|BY|[Ww]ritten [Bb]y|[Pp]osted [Bb]y|[Rr]eporting [Bb]y|[Ee]diting [Bb]y|[Pp]or|[Pp]ar|[Vv]on|[Dd]i|[Oo]leh)\s+\p{Lu}[\p{L}.'’-]*(\s+(?:\p{Lu}[\p{L}.'’-]*|and|und|e|y|et|dan))*(\s+\p{Lu}[\p{L}.'’-]*)?\s*(,.*|\|.*)?$/u, reason: 'byline', maxWords: 12, score: 0.9},
  {category: 'metadata', pattern: /^(source|sources|credit|edited by|reporting by)\s*:/i, reason: 'source credit', maxWords: 10, score: 0.9},
  {category: 'metadata', pattern: /^((additional )?reporting|editing|writing|compiled|translated) by\b/i, reason: 'byline', maxWords: 20, score: 0.9},
  {category: 'metadata', pattern: /^\((?:[\p{Lu}][\p{L}.&'-]*\s?){1,5}\)$/u, reason: 'source credit', maxWords: 5, score: 0.85},
  {category: 'teaser', pattern: /^(read more|read also|see also|related|more|also read|recommended|watch)\s*:\s*\S/i, reason: 'link to another story', maxWords: 25, score: 0.9},
  {category: 'metadata', pattern: /^\(?(reuters|ap|afp|bloomberg|anadolu|dpa|xinhua|upi|pa|cnn)\)?$/i, reason: 'source credit', maxWords: 2, score: 0.9},
  {category: 'metadata', pattern: /^((published|updated|posted|last updated)\s*:?\s*)?(\d{1,2}(st|nd|rd|th)?\s+)?(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?,?\s+(\d{1,2}(st|nd|rd|th)?,?\s+)?\d{4}([ ,]+\d{1,2}:\d{2}.*)?$/i, reason: 'date line', maxWords: 9, score: 0.9},
  {category: 'metadata', pattern: /^((published|updated|posted)\s*:?\s*)?\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}.*)?$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}([ ,]+\d{1,2}:\d{2}.*)?$/i, reason: 'date line', maxWords: 6, score: 0.9},
  {category: 'navigation', pattern: /^(home|menu|search|skip to (main )?content|back to top|log ?in|sign ?in|register|close|open|next|previous|more|read more|see more|show more|load more|view all|top stories|most read|most popular|trending( now)?|related( (stories|articles|news|content))?|latest( news)?|you may also like|recommended( for you)?|more from [\w ]+)$/i, reason: 'navigation', maxWords: 6, score: 0.9},
]);
