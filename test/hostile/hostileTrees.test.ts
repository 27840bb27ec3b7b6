import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { buildContext } from '../../workers/context/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';

/** Secrets in many formats; none of their values may show up in a prompt or a stored record. */
const PLANTED: Record<string, string> = {
  'AKIAQ3EGRJ7XWY5NZ2VB': "const key = 'AKIAQ3EGRJ7XWY5NZ2VB';",
  'ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8': 'token: ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8',
  'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F': 'SLACK=xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F',
  'sk_live_51HqLmTz8Xc2Vb7Nd4Rf9Kp3Wj6Ys1': 'stripe = "sk_live_51HqLmTz8Xc2Vb7Nd4Rf9Kp3Wj6Ys1"',
  'Pr0dDbPassw0rd!x9Q': 'DATABASE_URL=postgres://admin:Pr0dDbPassw0rd!x9Q@db.internal:5432/app',
  'MIIEowIBAAKCAQEA7v3xQ9mZk2Lp8Rt4Wq6Yx1Nc5Vb3Hd7Jf9Gs2Ka4Ue8Io0Py6Tr': [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEA7v3xQ9mZk2Lp8Rt4Wq6Yx1Nc5Vb3Hd7Jf9Gs2Ka4Ue8Io0Py6Tr',
    'Lm3Qz7Xc1Wv5Bn9Md2Fg6Hj0Kl4Pq8Rs2Tu6Vw0Xy4Za8Bc2De6Fg0Hi4Jk8Lm2No',
    'Qr6St0Uv4Wx8Yz2Ab6Cd0Ef4Gh8Ij2Kl6Mn0Op4Qr8St2Uv6Wx0Yz4Ab8Cd2Ef6Gh=',
    '-----END RSA PRIVATE KEY-----',
  ].join('\n'),
};

describe('hostile repository trees', () => {
  let repo: string;
  let outside: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'hw-hostile-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'hw-outside-'));
    await writeFile(path.join(outside, 'secret.txt'), 'OUTSIDE-THE-WORKSPACE-MARKER\n');
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await writeFile(path.join(repo, 'src', 'app.ts'), 'export function main() { return 1; }\n');
    await writeFile(path.join(repo, 'src', 'secrets.ts'), `${Object.values(PLANTED).join('\n')}\n`);
    await writeFile(path.join(repo, '.env'), `API_TOKEN=q8Zk2LmNp4XrT7vBw9YcHd3Fq8Zk2Lm\n`);
    // Names a shell or a naive parser would choke on.
    await writeFile(path.join(repo, 'src', 'new\nline.ts'), 'export const a = 1;\n');
    await writeFile(Buffer.from([...Buffer.from(`${repo}/src/`), 0xff, 0xfe, ...Buffer.from('.ts')]) as unknown as string, 'export const b = 2;\n');
    // A deep tree, a huge file, a binary file with a source extension.
    let deep = path.join(repo, 'deep');
    for (let i = 0; i < 60; i++) deep = path.join(deep, `d${i}`);
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(deep, 'bottom.ts'), 'export const bottom = true;\n');
    await writeFile(path.join(repo, 'src', 'huge.ts'), `${'export const x = 1;\n'.repeat(400_000)}`);
    await writeFile(path.join(repo, 'src', 'blob.ts'), Buffer.concat([Buffer.from('const a = 1;'), Buffer.alloc(64, 0), Buffer.from('binary')]));
    // Links out of the workspace.
    await symlink('/etc/passwd', path.join(repo, 'src', 'passwd.ts'));
    await symlink(outside, path.join(repo, 'src', 'outside'));
    await symlink('/proc/self/environ', path.join(repo, 'src', 'environ.ts'));
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('context building stays inside the budget, skips links and binaries, and redacts every planted secret', async () => {
    const context = await buildContext({ repoDir: repo, patterns: ['**/*.ts', '**/.env*'], budgetChars: 50_000 });

    expect(context.text.length).toBeLessThanOrEqual(50_000);
    expect(context.text).not.toContain('root:x:0:0');
    expect(context.text).not.toContain('OUTSIDE-THE-WORKSPACE-MARKER');
    for (const secret of [...Object.keys(PLANTED), 'q8Zk2LmNp4XrT7vBw9YcHd3Fq8Zk2Lm']) expect(context.text).not.toContain(secret);
    const reasons = new Map(context.excluded.map((e) => [e.path, e.reason]));
    expect(reasons.get('src/passwd.ts')).toBe('symlink');
    expect(reasons.get('src/environ.ts')).toBe('symlink');
    expect(reasons.get('src/blob.ts')).toBe('binary');
    expect(['too-large', 'budget']).toContain(reasons.get('src/huge.ts') ?? (context.files.find((f) => f.path === 'src/huge.ts')?.truncated ? 'budget' : 'missing'));
  });

  it('map and the local audit finish on the tree, record every run, and store no secret value', async () => {
    const state = await openLocalState(repo, path.join(outside, 'state'));
    const engine = new WorkerEngine({ config: parseConfig({}), store: state.store, stateDir: state.stateDir, findingStore: state.findingStore, env: { ...NO_CLAUDE_ENV } });

    const map = await engine.run({ worker: 'map', repoDir: repo });
    const audit = await engine.run({ worker: 'audit', repoDir: repo });

    expect(map.status).toBe('SUCCEEDED');
    // The file whose name is not UTF-8 cannot be opened by its decoded name: the audit says it could not read it.
    expect(audit.status).toBe('INCOMPLETE');
    expect(audit.error).toMatch(/could not be read: src\/\uFFFD\uFFFD\.ts \(unreadable\)/);
    const stored = JSON.stringify([map, audit, await state.findingStore.list()]);
    for (const secret of Object.keys(PLANTED)) expect(stored).not.toContain(secret);
    expect(stored).not.toContain('root:x:0:0');
    const findings = (audit.parsedOutput as { findings: { file: string; ruleId: string }[] }).findings;
    expect(findings.filter((f) => f.file === 'src/secrets.ts').length).toBeGreaterThanOrEqual(5);
    expect(findings.some((f) => f.file.includes('passwd') || f.file.includes('environ') || f.file.startsWith('src/outside'))).toBe(false);
  });
});
