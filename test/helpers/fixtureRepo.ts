import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path → content) under a new temp directory and returns it. */
export async function makeRepo(files: Record<string, string>, prefix = 'hw-repo-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** A small application with one planted secret and one SQL injection: real findings for audit. */
export const VULNERABLE_APP: Record<string, string> = {
  'src/db.ts': [
    "import { query } from './pool';",
    '',
    'export function findUser(name: string) {',
    '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");',
    '}',
    '',
  ].join('\n'),
  'src/config.ts': ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", ''].join('\n'),
  'src/index.ts': ["import { findUser } from './db';", '', 'console.log(findUser(process.argv[2] ?? "alice"));', ''].join('\n'),
  'test/db.test.ts': ["import { findUser } from '../src/db';", "test('finds', () => findUser('x'));", ''].join('\n'),
  'README.md': '# Demo app\n\nA tiny app.\n',
};
