import path from 'node:path';
import { LANGUAGES, type LanguageDefinition } from './languages.js';

const BY_EXTENSION = new Map<string, LanguageDefinition>();
const BY_FILE_NAME = new Map<string, LanguageDefinition>();
const BY_PREFIX = new Map<string, LanguageDefinition>();
const BY_INTERPRETER = new Map<string, LanguageDefinition>();
const QT_LINGUIST = LANGUAGES.find((language) => language.name === 'Qt Linguist') ?? null;
const MAVEN = LANGUAGES.find((language) => language.name === 'Maven') ?? null;
const XML = LANGUAGES.find((language) => language.name === 'XML') ?? null;
for (const language of LANGUAGES) {
  for (const extension of language.extensions) BY_EXTENSION.set(extension, language);
  for (const name of language.fileNames ?? []) BY_FILE_NAME.set(name, language);
  for (const prefix of language.fileNamePrefixes ?? []) BY_PREFIX.set(prefix, language);
  for (const interpreter of language.interpreters ?? []) BY_INTERPRETER.set(interpreter, language);
}

/**
 * The language of a file the way cloc decides it: exact file name, then the
 * longest known extension (`rs.in` before `in`, case-sensitive), then a name
 * prefix (`Dockerfile.prod`), then the interpreter on a `#!` first line.
 * `.ts` files that look like Qt Linguist XML are Qt Linguist and a Maven
 * `pom.xml` is Maven, as cloc decides by voting over the lines. Returns null
 * for files cloc would not count. `content` may be the raw bytes: they are
 * decoded only in the rare cases that need a look at the lines.
 *
 * @example detectLanguage('src/index.ts', 'export {};\n')?.name === 'TypeScript'
 */
export function detectLanguage(filePath: string, content: string | Buffer): LanguageDefinition | null {
  const base = path.posix.basename(filePath);
  if (base === 'pom.xml') return looksLikeMaven(asText(content)) ? MAVEN : XML;
  const byName = BY_FILE_NAME.get(base);
  if (byName) return byName;
  const parts = base.split('.');
  if (parts.length > 1) {
    for (let count = Math.min(3, parts.length - 1); count >= 1; count--) {
      const extension = parts.slice(-count).join('.');
      const language = BY_EXTENSION.get(extension);
      if (language) return language.name === 'TypeScript' && extension === 'ts' && looksLikeQtLinguist(content) ? QT_LINGUIST : language;
    }
    const stem = /^(.*?)\.\S+$/.exec(base)?.[1];
    const byPrefix = stem ? BY_PREFIX.get(stem) : undefined;
    if (byPrefix) return byPrefix;
  } else {
    const byLowerName = BY_FILE_NAME.get(base.toLowerCase());
    if (byLowerName) return byLowerName;
  }
  return languageOfShebang(content);
}

function asText(content: string | Buffer): string {
  return typeof content === 'string' ? content : content.toString('utf8');
}

function languageOfShebang(content: string | Buffer): LanguageDefinition | null {
  const newline = content.indexOf('\n');
  const end = newline === -1 ? content.length : newline;
  const firstLine = typeof content === 'string' ? content.slice(0, end) : content.toString('utf8', 0, end);
  const match = /^#!\s*(\S.*?)$/.exec(firstLine);
  if (!match) return null;
  const words = match[1]!.trim().split(/\s+/);
  const program = path.posix.basename(words[0]!);
  const interpreter = program === 'env' && words.length > 1 ? words[1]! : program;
  return BY_INTERPRETER.get(interpreter) ?? null;
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
  const text = asText(content);
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
