/** Words that carry no identity in a convention's name or a glossary term. */
const FILLER = new Set(['a', 'an', 'the', 'of', 'for', 'in', 'on', 'and', 'or', 'to', 'with', 'by', 'convention', 'conventions', 'style', 'styles', 'pattern', 'patterns', 'practice', 'practices', 'rule', 'rules', 'approach', 'use', 'using']);

/**
 * The identity of something a model names in words (a convention, a glossary
 * term): lowercase words without filler, each singular, deduplicated and
 * sorted. `Error-handling style`, `Error handling` and `handling of errors`
 * all become `error-handling`; `File naming` and `Naming of files` become
 * `file-naming`. A different word (`Exceptions` for `Errors`) is a different
 * subject: there is no thesaurus.
 *
 * @example normalizeSubject('Naming of Files') === 'file-naming'
 */
export function normalizeSubject(text: string): string {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !FILLER.has(word))
    .map(singular);
  return [...new Set(words)].sort().join('-');
}

/** `files` → `file`, `dependencies` → `dependency`; `class`, `status`, `bus` stay. */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
