import { describe, expect, it } from 'vitest';
import { countFileLines, countLines } from '../../../workers/local/map/countLines.js';
import { LANGUAGES } from '../../../workers/local/map/languages.js';
import { replayClocFilters } from '../../../workers/local/map/replayClocFilters.js';

const language = (name: string) => {
  const found = LANGUAGES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no language ${name}`);
  return found;
};

// One language per scanner mode: C++ comments with and without `\` continuations, C blocks only, no filter.
const SCANNED = ['TypeScript', 'Rust', 'CSS', 'JSON'].map(language);

/** Inputs where a one-pass scan could part from cloc's split-join-regex steps. */
const TRICKY = [
  'const s = "/*";\nconst t = 1;\nconst u = "*/";\n',
  'const url = "http://example.com"; // c\n',
  'a /* one */ b /* two\n\n three */ c // four\n',
  '/* nested /* still */ out */\n',
  '/*/ x */\ny\n',
  '//*\nnot a comment */\n',
  '/* never closed\nx\n/* again\n// line\n',
  'x = 1; \\\n\ny = 2; // c \\\nz = 3;\n',
  'x \\/* c */\n\ny\n',
  'a // c \\\n',
  'code /* c */ \\\n   \n\nmore\n',
  'const x = 1;\r\n// c\r\n\r\n/* a\r\n b */\r\nconst y = 2;',
  '\uFEFF// bom\n\nx\n',
  '\uFEFF\n',
  'no trailing newline /* c */',
  '\n\n\n',
  ' \t\f\v\r\n\u00a0\n',
  '/**\n * doc é ü 日本\n */\nexport declare const x: number; // ✓\n',
  'a/\n/b\n*/\n/*\n',
  '\\\n\n\\\n \n',
];

/** A deterministic pseudo-random generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['/', '*', '\\', '\n', '\n', '\r', ' ', '\t', 'a', 'x', '"', 'é', '\u00a0', '//', '/*', '*/'];

function randomText(next: () => number): string {
  let text = next() < 0.1 ? '\uFEFF' : '';
  const length = Math.floor(next() * 60);
  for (let index = 0; index < length; index++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

describe('scanClocLines (the one-pass counter)', () => {
  it.each(SCANNED.flatMap((scanned) => TRICKY.map((text) => [scanned.name, text, scanned] as const)))(
    'counts %s %j as the replay of cloc filters does',
    (_name, text, scanned) => {
      // Act
      const fast = countLines(text, scanned);

      // Assess
      expect(fast).toEqual(replayClocFilters(text, scanned));
    },
  );

  it('agrees with the replay on 20,000 random texts made of comment markers, newlines and continuations', () => {
    // Prepare
    const next = random(6);
    const texts = Array.from({ length: 5_000 }, () => randomText(next));

    // Act
    const disagreements = SCANNED.flatMap((scanned) =>
      texts.filter((text) => JSON.stringify(countLines(text, scanned)) !== JSON.stringify(replayClocFilters(text, scanned))).map((text) => `${scanned.name} ${JSON.stringify(text)}`),
    );

    // Assess
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('counts raw bytes, invalid UTF-8 included, as the replay counts their decoded text', () => {
    // Prepare: random texts with stray bytes (lone continuation and lead bytes) spliced in.
    const next = random(7);
    const files = Array.from({ length: 2_000 }, () => {
      const text = Buffer.from(randomText(next), 'utf8');
      const stray = Buffer.from([0x80 + Math.floor(next() * 0x7f)]);
      const at = Math.floor(next() * (text.length + 1));
      return Buffer.concat([text.subarray(0, at), stray, text.subarray(at)]);
    });

    // Act
    const disagreements = SCANNED.flatMap((scanned) =>
      files.filter((bytes) => JSON.stringify(countFileLines(bytes, scanned)) !== JSON.stringify(replayClocFilters(bytes.toString('utf8'), scanned))).map((bytes) => `${scanned.name} ${bytes.toString('hex')}`),
    );

    // Assess
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('counts a file in which no filter of its language can apply as the replay does (Markdown, YAML, HTML, shell)', () => {
    // Prepare: near misses of every marker (`<!-`, `[ ]`, `[//`) as well as the markers themselves.
    const next = random(8);
    const pieces = ['<', '!', '>', '<!>', '-', '-->', '[', ']', '(', ')', ':', '/', '#', ' ', '\u2028', '\n', '\n', '\\', 'a', '[//]', '<!--', '[]', 'comment', '\r', 'é'];
    const texts = Array.from({ length: 4_000 }, () => Array.from({ length: Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)]).join(''));
    const languages = ['Markdown', 'YAML', 'HTML', 'Bourne Shell'].map(language);

    // Act
    const disagreements = languages.flatMap((counted) =>
      texts.filter((text) => JSON.stringify(countLines(text, counted)) !== JSON.stringify(replayClocFilters(text, counted))).map((text) => `${counted.name} ${JSON.stringify(text)}`),
    );

    // Assess
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(texts.filter((text) => !text.includes('<!') && !text.includes('#') && /\[\]/.test(text)).length).toBeGreaterThan(100);
  });

  it('counts languages the scanner does not cover by replaying their filters, from bytes too', () => {
    // Prepare
    const python = language('Python');
    const text = '#!/usr/bin/env python3\n"""Doc é."""\nx = 1\n# c\n';

    // Act
    const counts = countFileLines(Buffer.from(text, 'utf8'), python);

    // Assess
    expect(counts).toEqual({ blank: 0, comment: 2, code: 2 });
  });
});
