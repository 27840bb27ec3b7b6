import { describe, expect, it } from 'vitest';
import { classifyLanguage, detectLanguage } from '../../../workers/local/map/index.js';

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
  // From cloc's own tables (issue 16): file names, double extensions and languages beyond the usual few.
  ['CMakeLists.txt', 'project(x)\n', 'CMake'],
  ['cmake/Find.cmake', '', 'CMake'],
  ['docs/notes.rst', 'hello\n', 'reStructuredText'],
  ['po/de.po', 'msgid ""\n', 'PO File'],
  ['web/App.vue', '<template/>\n', 'Vuejs Component'],
  ['views/a.pug', '', 'Pug'],
  ['run.bat', '', 'DOS Batch'],
  ['deploy.ps1', '', 'PowerShell'],
  ['Token.sol', '', 'Solidity'],
  ['meson.build', '', 'Meson'],
  ['bin/tclsh-tool', '#!/usr/bin/env tclsh\n', 'Tcl/Tk'],
  ['data/thing.unknownext', '<?xml version="1.0"?>\n<a/>\n', 'XML'],
  // Extensions two languages share, decided by content as cloc does.
  ['tools/report.pl', 'use strict;\nmy $x = 1;\n', 'Perl'],
  ['rules/family.pl', 'parent(tom, bob).\nanc(X, Y) :- parent(X, Y).\n', 'Prolog'],
  ['src/P.cs', 'using System;\nnamespace A { }\n', 'C#'],
  ['build.xml', '<project name="a" default="b">\n</project>\n', 'Ant'],
  ['objc/View.m', '#import <UIKit/UIKit.h>\n@implementation View\n@end\n', 'Objective-C'],
  ['matlab/f.m', '% c\nfunction y = f(x)\n  y = [x x];\nend\n', 'MATLAB'],
  ['julia/f.jl', 'function f(x)\n  x\nend\n', 'Julia'],
  ['lisp/f.jl', ';; c\n(defun f (x) x)\n', 'Lisp'],
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
    ['bin/node-tool', '#!/usr/bin/env node\n', 'no language cloc knows runs with #!node'],
    ['LICENSE', 'MIT\n', 'no extension, file name or #! line cloc knows'],
    ['README', 'read me\n', 'cloc never counts files named README'],
    ['scripts/run.sh.in', '#!/bin/sh\n', 'cloc never counts .in files'],
    ['main.c~', 'int x;\n', 'an editor backup (name ending in ~), which cloc never counts'],
    ['setup.pro', 'TEMPLATE = app\n', 'cloc decides .pro between IDL/Qt Project/Prolog/ProGuard by content, which the map does not replay'],
    ['hs/Doc.lhs', '> main = print 1\n', 'literate Haskell (.lhs), whose cloc rules the map does not replay'],
  ])('leaves %s to no language, as cloc does, and says why', (file, text, reason) => {
    // Act
    const verdict = classifyLanguage(file, text);

    // Assess
    expect(verdict).toEqual({ language: null, reason });
  });
});
