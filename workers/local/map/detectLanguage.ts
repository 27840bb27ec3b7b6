import path from 'node:path';
import {
  LANGUAGE_BY_EXTENSION,
  LANGUAGE_BY_FILE_NAME,
  LANGUAGE_BY_INTERPRETER,
  LANGUAGE_BY_PREFIX,
  NOT_CODE_EXTENSIONS,
  NOT_CODE_FILE_NAMES,
} from './clocLanguages.generated.js';
import {
  antOrXml,
  csharpOrSmalltalk,
  forthOrFortran,
  forthOrFsharp,
  lispOrJulia,
  lispOrOpenCL,
  matlabOrObjectiveC,
  pascalOrPuppet,
  perlOrProlog,
  rakuOrProlog,
  reallyIsPhp,
  verilogOrCoq,
} from './contentVotes.js';
import { languageNamed, type LanguageDefinition } from './languages.js';

/** What cloc makes of a file: a language it counts, or why it counts none. */
export type LanguageVerdict = { readonly language: LanguageDefinition } | { readonly language: null; readonly reason: string };

const NOT_CODE_EXTENSION = new Set(NOT_CODE_EXTENSIONS);
const NOT_CODE_FILE_NAME = new Set(NOT_CODE_FILE_NAMES);

/**
 * cloc's names for an extension or file name two languages share, and how it
 * decides between them by content (contentVotes.ts). Those not here (`.pro`,
 * `.cls`, `.sls`, `.ui`...) are left unknown with that reason rather than guessed.
 */
const DECIDE_BY_CONTENT: Readonly<Record<string, (content: string | Buffer) => string>> = {
  'TypeScript/Qt Linguist': (content) => (looksLikeQtLinguist(content) ? 'Qt Linguist' : 'TypeScript'),
  'Maven/XML': (content) => (looksLikeMaven(asText(content)) ? 'Maven' : 'XML'),
  'Ant/XML': (content) => antOrXml(asText(content)),
  'Perl/Prolog': (content) => perlOrProlog(asText(content)),
  'Raku/Prolog': (content) => rakuOrProlog(asText(content)),
  'C#/Smalltalk': (content) => csharpOrSmalltalk(asText(content)),
  'MATLAB/Mathematica/Objective-C/MUMPS/Mercury': (content) => matlabOrObjectiveC(asText(content)),
  'Lisp/Julia': (content) => lispOrJulia(asText(content)),
  'Lisp/OpenCL': (content) => lispOrOpenCL(asText(content)),
  'Verilog-SystemVerilog/Coq': (content) => verilogOrCoq(asText(content)),
  'F#/Forth': (content) => forthOrFsharp(asText(content)),
  'Fortran 77/Forth': (content) => forthOrFortran(asText(content)),
  'Pascal/Puppet': (content) => pascalOrPuppet(asText(content)),
  // cloc then tries Pascal (really_is_incpascal), which is not replayed: a `.inc` that is not PHP is left unknown.
  'PHP/Pascal': (content) => (reallyIsPhp(asText(content)) ? 'PHP' : 'PHP/Pascal'),
  // An init.d script named `.d` is counted in the language of its `#!` line; cloc ignores one it does not know.
  'D/dtrace': (content) => {
    const interpreter = interpreterOf(content);
    if (interpreter === null) return 'D';
    return LANGUAGE_BY_INTERPRETER[interpreter] ?? 'D/dtrace';
  },
};

/**
 * The language of a file the way cloc 1.96 decides it (its `classify_file`,
 * over its own tables): names cloc never counts (`README`, `*.1`, `x~`), then
 * the exact file name, then the longest known extension (`rs.in` before `in`,
 * case-sensitive), then a name prefix (`Dockerfile.prod`), then for a file
 * without extension its lower-cased name, then the interpreter on a `#!`
 * first line or an `<?xml` one. An extension two languages share is decided
 * by content as cloc does (TypeScript or Qt Linguist, Perl or Prolog, C# or
 * Smalltalk, Objective-C or MATLAB, Julia or Lisp, Maven/Ant or XML...). `content` may be the raw bytes: they are
 * decoded only in the rare cases that need a look at the lines.
 *
 * @example classifyLanguage('src/index.ts', 'export {};\n').language?.name === 'TypeScript'
 */
export function classifyLanguage(filePath: string, content: string | Buffer): LanguageVerdict {
  const base = path.posix.basename(filePath);
  if (NOT_CODE_FILE_NAME.has(base)) return unknown(`cloc never counts files named ${base}`);
  if (base.endsWith('~')) return unknown('an editor backup (name ending in ~), which cloc never counts');
  // cloc reads a `.lhs` file's literate style (bird tracks or a \begin{code} block) before counting: not replayed.
  if (base.endsWith('.lhs') && LANGUAGE_BY_FILE_NAME[base] === undefined) return unknown('literate Haskell (.lhs), whose cloc rules the map does not replay');
  const byName = LANGUAGE_BY_FILE_NAME[base];
  if (byName !== undefined) return resolve(byName, content, base);
  const parts = base.split('.');
  if (parts.length > 1 && parts[parts.length - 1] !== '') {
    for (let count = Math.min(3, parts.length - 1); count >= 1; count--) {
      const extension = parts.slice(-count).join('.');
      // cloc looks at a double or triple extension only where each part is non-empty.
      if (count > 1 && parts.slice(-count).some((part) => part === '')) continue;
      if (NOT_CODE_EXTENSION.has(extension)) return unknown(`cloc never counts .${extension} files`);
      const name = LANGUAGE_BY_EXTENSION[extension];
      if (name !== undefined) return resolve(name, content, `.${extension}`);
    }
    const stem = /^(.*?)\.\S+$/.exec(base)?.[1];
    const byPrefix = stem ? LANGUAGE_BY_PREFIX[stem] : undefined;
    if (byPrefix !== undefined) return resolve(byPrefix, content, stem!);
  } else if (parts.length === 1) {
    const byLowerName = LANGUAGE_BY_FILE_NAME[base.toLowerCase()];
    if (byLowerName !== undefined) return resolve(byLowerName, content, base);
  }
  return languageOfFirstLine(content);
}

/** `classifyLanguage`, for callers that need only the language. */
export function detectLanguage(filePath: string, content: string | Buffer): LanguageDefinition | null {
  return classifyLanguage(filePath, content).language;
}

function unknown(reason: string): LanguageVerdict {
  return { language: null, reason };
}

function resolve(name: string, content: string | Buffer, matched: string): LanguageVerdict {
  const decide = DECIDE_BY_CONTENT[name];
  const resolved = decide ? decide(content) : name;
  const language = languageNamed(resolved);
  if (language) return { language };
  return unknown(name.includes('/') ? `cloc decides ${matched} between ${name} by content, which the map does not replay` : `cloc has no counting rules for ${name}`);
}

function asText(content: string | Buffer): string {
  return typeof content === 'string' ? content : content.toString('latin1');
}

function firstLineOf(content: string | Buffer): string {
  const newline = content.indexOf('\n');
  const end = newline === -1 ? content.length : newline;
  return typeof content === 'string' ? content.slice(0, end) : content.toString('latin1', 0, end);
}

/** The program a `#!` first line names (the one after `env`), or null without one: cloc's peek_at_first_line. */
function interpreterOf(content: string | Buffer): string | null {
  const match = /^#!\s*(\S.*?)$/.exec(firstLineOf(content));
  if (!match) return null;
  const words = match[1]!.trim().split(/[ \t\r\f\v]+/);
  const program = path.posix.basename(words[0]!);
  return program === 'env' && words.length > 1 ? words[1]! : program;
}

function languageOfFirstLine(content: string | Buffer): LanguageVerdict {
  const firstLine = firstLineOf(content);
  const interpreter = interpreterOf(content);
  if (interpreter !== null) {
    const name = LANGUAGE_BY_INTERPRETER[interpreter];
    const language = name === undefined ? null : languageNamed(name);
    if (language) return { language };
    if (!/<\?xml\s/.test(firstLine)) return unknown(`no language cloc knows runs with #!${interpreter}`);
  }
  if (/<\?xml\s/.test(firstLine)) return { language: languageNamed('XML')! };
  return unknown('no extension, file name or #! line cloc knows');
}

/** Names of the tags cloc counts as Qt Linguist lines (`<message>`, `</source>`…), with their `>`. */
const LINGUIST_TAG_NAMES = ['message>', 'source>', 'translation>'].map((name) => Buffer.from(name));
const LESS_THAN = 0x3c;
const SLASH = 0x2f;

/**
 * True when the bytes hold a Qt Linguist tag: without one the vote cannot go
 * to Qt Linguist. One memchr hop per `<`, where searching for each of the six
 * tags would read a large declaration file six times.
 */
function hasLinguistTag(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(LESS_THAN); at !== -1; at = bytes.indexOf(LESS_THAN, at + 1)) {
    const name = bytes[at + 1] === SLASH ? at + 2 : at + 1;
    for (const tag of LINGUIST_TAG_NAMES) if (startsAt(bytes, name, tag)) return true;
  }
  return false;
}

function startsAt(bytes: Buffer, at: number, prefix: Buffer): boolean {
  for (let index = 0; index < prefix.length; index++) if (bytes[at + index] !== prefix[index]) return false;
  return true;
}

/** cloc's TypeScript-or-Qt-Linguist vote over the lines of a `.ts` file. */
function looksLikeQtLinguist(content: string | Buffer): boolean {
  // Every tag ends in `e>` or `n>`: a memchr and two short searches rule most files out before the closer look.
  if (!content.includes('>') || !(content.includes('e>') || content.includes('n>'))) return false;
  if (!hasLinguistTag(typeof content === 'string' ? Buffer.from(content, 'utf8') : content)) return false;
  const text = typeof content === 'string' ? content : content.toString('utf8');
  let linguist = 0;
  let typescript = 0;
  for (const line of text.split('\n')) {
    if (/\b<\/?(?:message|source|translation)>/.test(line)) linguist++;
    if (/^\s*(?:var|const|let|class|document)\b/.test(line)) typescript++;
    if (/[;}]\s*$/.test(line)) typescript++;
    if (/^\s*\/\//.test(line)) typescript++;
  }
  return linguist > typescript;
}

/** cloc's Maven-or-XML vote over the lines of a `pom.xml`. */
function looksLikeMaven(text: string): boolean {
  let maven = 0;
  let xml = 1;
  for (const line of text.split('\n')) {
    if (/^\s*<project\s+/.test(line)) {
      maven++;
      xml--;
    }
    if (line.includes('xmlns="http://maven.apache.org/POM/')) {
      maven++;
      xml--;
    }
  }
  return maven > xml;
}
