/** Splits `!roll 2d6 fast` into the command word and its arguments. */

export interface ParsedCommand {
  /** The command word without the prefix, folded (see {@link foldCommand}). */
  readonly command: string;
  readonly args: readonly string[];
  /** Everything after the command word, trimmed at the start only. */
  readonly argText: string;
}

const WORD_BREAK = /\s/;

/**
 * Folds a command word the way users type it, so that equal words match whatever the keyboard sent:
 * NFKC (an NFD `café`, a full-width `ｉｎｆｏ` and a ligature `ﬁx` become `café`, `info`, `fix`), then full
 * case folding (`INFO`, `Straße`/`STRASSE`, `ΣΊΣΥΦΟΣ`), with the dotted capital `İ` folded to `i` as
 * Turkish and Azerbaijani keyboards mean it (Unicode's CaseFolding.txt, status T), so `İnfo` is `!info`.
 */
export function foldCommand(word: string): string {
  return word
    .normalize('NFKC')
    .toUpperCase() // ß -> SS, ﬀ -> FF: the full mappings toLowerCase alone does not make
    .toLowerCase()
    .replace(/i\u0307/g, 'i') // İ lower-cases to i + combining dot above
    .normalize('NFC');
}

/** The command in `text`, or undefined when the text does not start with `prefix` followed by a word. */
export function parseCommand(text: string, prefix: string): ParsedCommand | undefined {
  const body = text.trimStart();
  if (!body.startsWith(prefix)) return undefined;
  const rest = body.slice(prefix.length);
  let end = 0;
  while (end < rest.length && !WORD_BREAK.test(rest.charAt(end))) end++;
  if (end === 0) return undefined;
  const argText = rest.slice(end).trimStart();
  return {
    command: foldCommand(rest.slice(0, end)),
    args: argText.length === 0 ? [] : argText.split(/\s+/).filter((word) => word.length > 0),
    argText,
  };
}

/** A command word must be non-empty and have no whitespace, or it could never be typed. */
export function assertCommandWord(word: string, name: string): void {
  if (word.length === 0) throw new RangeError(`${name} must not be empty`);
  if (/\s/.test(word)) throw new RangeError(`${name} must not contain whitespace (got '${word}')`);
}
