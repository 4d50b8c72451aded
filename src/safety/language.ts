/**
 * Whether a message is in a language the screen does not read yet. The rules are written for
 * English (plus a few Spanish crisis phrases); a message mostly made of another language's
 * common words gets the help lines and a plain note, never coaching that pretends to understand.
 */
const ENGLISH = new Set(('the a an and or but i you he she it we they my his her me him is are was were be been have has had do does did not '
  + 'to of in on at for with about from that this what when why how so if just can will would should could').split(' '));
/** Common function words of languages mothers may write in, none of them English words. */
const OTHER = new Set((
  // Spanish
  'el la los las un una unos unas y o pero que de del en con por para mi mis tu su sus es son está están estoy soy '
  + 'fue muy más ya no sí hijo hija quiero quiere tengo tiene hace cuando porque como yo él ella nosotros ellos '
  // French
  + 'le les des et ou mais je tu il elle nous vous ils est sont suis avec pour dans sur pas ne une plus depuis moi mon ma mes fils fille très '
  // Portuguese
  + 'os uma um meu minha filho filha não com para por muito eu ele ela está estou '
  // German
  + 'der die das und oder aber ich du er sie wir ihr ist sind bin mit für nicht mein meine sohn tochter sehr auch '
  // Italian
  + 'il lo gli di che è sono mio mia figlio figlia non con per molto io lui lei'
).split(' '));

const WORDS = /\p{L}+/gu;

export function looksUnscreenedLanguage(text: string): boolean {
  const words = (text.toLowerCase().match(WORDS) ?? []);
  if (words.length < 3) return false;
  const other = words.filter((w) => OTHER.has(w) && !ENGLISH.has(w)).length;
  const english = words.filter((w) => ENGLISH.has(w)).length;
  return other >= 2 && other / words.length >= 0.25 && english / words.length < 0.15;
}
