import { describe, expect, it } from 'vitest';
import { countLines, LANGUAGES } from '../../../workers/local/map/index.js';

const language = (name: string) => {
  const found = LANGUAGES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no language ${name}`);
  return found;
};

describe('countLines', () => {
  it.each([
    // [language, text, blank, comment, code] — each checked against cloc 1.96
    ['TypeScript', '// c\nconst x = 1; // trailing\n\n/* a\n\n b */\nconst y = 2;\n', 2, 3, 2],
    ['TypeScript', 'const s = "/*";\nconst t = 1;\nconst u = "*/";\n', 0, 2, 1],
    ['TypeScript', 'c(); /* x\n*/ d();\n', 0, 1, 1],
    ['TypeScript', 'const x = 1;\r\n// c\r\n\r\nconst y = 2;', 1, 1, 2],
    ['TypeScript', '\uFEFFconst bom = 1;\n', 0, 0, 1],
    ['TypeScript', 'const x = 1;\n\u00a0\u00a0\nconst y = 2;\n', 0, 0, 3],
    ['JavaScript', '#!/usr/bin/env node\nconsole.log(1);\n', 0, 0, 2],
    ['Python', '#!/usr/bin/env python3\n"""Doc."""\nx = 1\ny = """abc"""\nz = """\ntext\n"""\n# c\n', 0, 4, 4],
    ['Python', 'x = 1 \\\n\ny = 2\n', 0, 0, 3],
    ['Python', 'q = "/* not */"\nr = 1\n', 0, 1, 1],
    ['Bourne Shell', '#!/bin/sh\n# c\necho hi # trailing\n\n  # indented\n', 1, 2, 2],
    ['Markdown', '# Title\n\n<!-- hidden\nstill hidden -->\ntext <!-- c --> more\n[//]: # (comment)\n- item\n', 1, 3, 3],
    ['JSON', '{\n  "a": "//x",\n\n  "b": 1\n}\n', 1, 0, 4],
    ['HTML', '<!DOCTYPE html>\n<!-- c -->\n<body> <!-- multi\nline -->\n<p>x</p>\n', 0, 3, 2],
    ['Ruby', '# c\nputs 1\n=begin\ndoc\n=end\nputs 2 # c\n', 0, 4, 2],
    ['SQL', '-- c\nSELECT 1; -- trailing\n/* b\n */\nSELECT 2;\n', 0, 3, 2],
    ['Java', 'class A {\n  String g = "src/*";\n  int x; /* c */\n  String h = "*/";\n}\n', 0, 0, 5],
    ['Go', 'package main\n\n// c\nfunc main() { s := "http://x" }\n/*\n*/\n', 1, 3, 2],
    ['C', '#define X 1 \\\n\n  + 2\nint main(void) { return 0; } // c\n', 0, 0, 4],
    ['make', 'all:\n\t# recipe comment\n\techo hi\n# c\n', 0, 2, 2],
  ] as const)('counts %s %j as %d blank, %d comment, %d code', (name, text, blank, comment, code) => {
    // Act
    const counts = countLines(text, language(name));

    // Assess
    expect(counts).toEqual({ blank, comment, code });
  });

  it('counts nothing in an empty text', () => {
    // Act
    const counts = countLines('', language('TypeScript'));

    // Assess
    expect(counts).toEqual({ blank: 0, comment: 0, code: 0 });
  });

  it('survives an unterminated block comment in a long file quickly', () => {
    // Prepare
    const text = `/* open\n${'const x = 1;\n'.repeat(50_000)}`;
    const started = performance.now();

    // Act
    const counts = countLines(text, language('TypeScript'));

    // Assess
    expect(counts).toEqual({ blank: 0, comment: 0, code: 50_001 });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
