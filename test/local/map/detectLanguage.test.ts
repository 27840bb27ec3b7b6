import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../workers/local/map/index.js';

const DETECTED = [
  ['src/index.ts', 'export {};\n', 'TypeScript'],
  ['src/view.tsx', 'export {};\n', 'TypeScript'],
  ['src/view.jsx', 'export {};\n', 'JSX'],
  ['lib/a.mjs', '', 'JavaScript'],
  ['include/a.h', '', 'C/C++ Header'],
  ['src/a.C', '', 'C++'],
  ['src/a.c', '', 'C'],
  ['src/lib.rs.in', '', 'Rust'],
  ['Makefile', '', 'make'],
  ['GNUmakefile', '', 'make'],
  ['Dockerfile', '', 'Dockerfile'],
  ['docker/Dockerfile.prod', '', 'Dockerfile'],
  ['bin/tool', '#!/usr/bin/env python3\nprint(1)\n', 'Python'],
  ['bin/run', '#!/bin/bash\necho\n', 'Bourne Again Shell'],
  ['scripts/setup.sh', '#!/bin/bash\n', 'Bourne Shell'],
  ['i18n/app.ts', '<TS>\n<message>\n<source>a</source>\n<translation>b</translation>\n</message>\n</TS>\n', 'Qt Linguist'],
  ['pom.xml', '<project xmlns="http://maven.apache.org/POM/4.0.0">\n</project>\n', 'Maven'],
  ['config.xml', '<a/>\n', 'XML'],
  ['notes.txt', 'hello\n', 'Text'],
  ['src/types.ts', 'let a: Map<string, IResource>;\nlet b: Promise<Message>;\n', 'TypeScript'],
  ['i18n/strings.ts', 'const a = "<b>message</b>";\nconst t = "<translation>x</translation>";\n', 'TypeScript'],
] as const;

describe('detectLanguage', () => {
  it.each(DETECTED)('detects %s as %s', (file, text, expected) => {
    // Act
    const language = detectLanguage(file, text);

    // Assess
    expect(language?.name).toBe(expected);
  });

  it.each(DETECTED)('detects %s from its raw bytes too (as %s)', (file, text, expected) => {
    // Act
    const language = detectLanguage(file, Buffer.from(text, 'utf8'));

    // Assess
    expect(language?.name).toBe(expected);
  });

  it.each([
    ['notes.rst', 'hello\n'],
    ['bin/node-tool', '#!/usr/bin/env node\n'],
    ['LICENSE', 'MIT\n'],
  ])('leaves %s to no language, as cloc does', (file, text) => {
    // Act
    const language = detectLanguage(file, text);

    // Assess
    expect(language).toBeNull();
  });
});
