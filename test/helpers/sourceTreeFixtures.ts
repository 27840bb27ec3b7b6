import type { TreeSpec } from './contextFixtures.js';
import { CHARSETS, fakeToken } from './secretFixtures.js';

/**
 * A small multi-language repository for the map worker. Each file's lines
 * are annotated in the test that counts them; the counts follow cloc 1.96
 * (comment markers in strings are not special, docstrings are comments, a
 * script's `#!` line is code, every non-blank Markdown line is code).
 */
export function mapFixtureTree(): TreeSpec {
  return {
    'src/app.ts': [
      '// Entry point.',
      "import { helper } from './lib/helper.js';",
      '',
      '/*',
      ' * Block comment.',
      ' */',
      "export const url = 'https://example.com'; // trailing",
      'export function main(): string {',
      '  return helper(url); /* inline */',
      '}',
      '',
    ].join('\n'),
    'src/lib/helper.ts': [
      'export function helper(value: string): string {',
      '  const open = "/*";',
      '  const middle = value.trim();',
      '  const close = "*/";',
      '  return open + middle + close;',
      '}',
      '',
    ].join('\n'),
    'src/empty.ts': '',
    'scripts/build.js': ['#!/usr/bin/env node', "'use strict';", '', '// Build the project.', "console.log('build');", ''].join('\n'),
    'tools/report.py': [
      '#!/usr/bin/env python3',
      '"""Report generator.',
      '',
      'Longer description.',
      '"""',
      'import sys',
      '',
      '# A comment line.',
      'def main():',
      '    """One-line docstring."""',
      '    text = "#not a comment"',
      '    return len(sys.argv)  # trailing',
      '',
    ].join('\n'),
    'README.md': ['# Project', '', 'Some text.', '<!-- hidden note -->', '- item', ''].join('\n'),
    'config/settings.json': ['{', '  "name": "demo",', '  "debug": false', '}', ''].join('\n'),
    'config/app.yaml': ['# Settings', 'server:', '  port: 8080  # inline', '', '  host: localhost', ''].join('\n'),
    'cmd/main.go': ['package main', '', 'import "fmt"', '', '// main prints.', 'func main() {', '\tfmt.Println("hi") // greet', '}', ''].join('\n'),
    'scripts/deploy.sh': ['#!/bin/sh', '# Deploy.', 'set -eu', '', 'echo "deploying"  # note', ''].join('\n'),
    Dockerfile: ['# syntax=docker/dockerfile:1', 'FROM node:20-slim', 'WORKDIR /app', '# Install.', 'RUN npm ci', ''].join('\n'),
    Makefile: ['# Build targets.', 'build:', '\tnpm run build', '', 'test: build', '\tnpm test', ''].join('\n'),
    'web/style.css': ['/* Theme */', 'body {', '  color: #333;', '}', ''].join('\n'),
    'web/index.html': ['<!DOCTYPE html>', '<html>', '<!-- Page -->', '<body>', '<p>Hello</p>', '</body>', '</html>', ''].join('\n'),
    'db/schema.sql': ['-- Schema.', 'CREATE TABLE users (id INT);', '/* Seed', '   data */', 'INSERT INTO users VALUES (1);', ''].join('\n'),
    'notes.txt': 'first\nsecond\nthird\n',
    '.gitignore': 'secret.local.ts\n',
    'src/secret.local.ts': 'export const ignored = true;\n',
    'assets/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    'data/payload.unknown': new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]),
  };
}

/**
 * A larger generated tree for comparing with the real cloc: `copies` variants
 * of files in several languages, with blank lines, comments, docstrings and
 * strings holding comment markers, so rounding cannot hide a difference.
 */
export function generatedClocTree(copies: number): TreeSpec {
  const tree: Record<string, string> = {};
  for (let i = 0; i < copies; i++) {
    tree[`pkg${i}/index.ts`] = [
      `// Module ${i}.`,
      `export const value${i} = ${i};`,
      '',
      '/**',
      ` * Doc for ${i}.`,
      ' */',
      `export function f${i}(x: number): string {`,
      `  const glob = "src/**/*.ts"; // ${i}`,
      '  return `${x}` + glob; /* done */',
      '}',
      ...Array.from({ length: i % 5 }, (_, k) => `export const extra${k} = ${k}; // extra`),
      '',
    ].join('\n');
    tree[`pkg${i}/tool.py`] = [
      `"""Tool ${i}."""`,
      'import os',
      '',
      `def run_${i}(path):`,
      '    """',
      '    Run it.',
      '    """',
      '    # comment',
      `    return os.path.join(path, "${i}")  # trailing`,
      ...Array.from({ length: i % 3 }, (_, k) => `X${k} = '''${k}'''`),
      '',
    ].join('\n');
    tree[`pkg${i}/run.sh`] = ['#!/bin/bash', '# run', `echo ${i}`, '', 'exit 0', ''].join('\n');
    tree[`pkg${i}/README.md`] = [`# Package ${i}`, '', 'Text.', '<!--', 'hidden', '-->', ''].join('\n');
    tree[`pkg${i}/conf.yaml`] = ['# conf', `id: ${i}`, '', `name: pkg${i} # inline`, ''].join('\n');
    tree[`pkg${i}/main.go`] = ['package main', '', '/* block', ' */', `func f${i}() int { return ${i} } // c`, ''].join('\n');
  }
  return tree;
}

/** Hard-coded values planted in the audit fixture, to check they never leak into evidence. */
export interface AuditPlants {
  readonly awsKeyId: string;
  readonly dbPassword: string;
}

/**
 * A repository with planted secrets and dangerous calls at known lines, plus
 * files the audit must not read: git-ignored, lock, vendored, binary.
 */
export function auditFixtureTree(): { tree: TreeSpec; plants: AuditPlants } {
  const awsKeyId = `AKIA${fakeToken(CHARSETS.UPPER_BASE32, 16, 501)}`;
  const dbPassword = `Vq8${fakeToken(CHARSETS.ALNUM, 13, 502)}`;
  const ignoredToken = `ghp_${fakeToken(CHARSETS.ALNUM, 36, 503)}`;
  const tree: TreeSpec = {
    'src/db.ts': [
      "import { Pool } from 'pg';",
      'const pool = new Pool();',
      'export const find = (id: string) => pool.query("SELECT * FROM users WHERE id = " + id);',
      'export const parse = (text: string) => eval(text);',
      '',
    ].join('\n'),
    'src/config.ts': ['export const region = "eu-west-1";', `export const accessKeyId = "${awsKeyId}";`, ''].join('\n'),
    'web/app.js': ['const view = document.getElementById("view");', 'view.innerHTML = location.hash;', ''].join('\n'),
    'tools/run.py': ['import os, pickle', 'os.system("tar xf " + name)', 'data = pickle.loads(blob)', ''].join('\n'),
    '.env': ['# local settings', 'DB_HOST=localhost', `DB_PASSWORD=${dbPassword}`, ''].join('\n'),
    '.env.example': ['DB_HOST=localhost', 'DB_PASSWORD=changeme', ''].join('\n'),
    'README.md': ['# Demo', 'Never call eval(input) or os.system(cmd).', ''].join('\n'),
    '.gitignore': 'local/\n',
    'local/notes.ts': `export const token = "${ignoredToken}";\n`,
    'package-lock.json': `{ "token": "${ignoredToken}" }\n`,
    'node_modules/dep/index.js': 'module.exports = eval("1");\n',
    'assets/icon.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  };
  return { tree, plants: { awsKeyId, dbPassword } };
}
