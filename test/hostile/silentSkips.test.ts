import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../workers/engine/planRun.js';
import type { ExclusionReason, RunResult } from '../../workers/run/types.js';
import { MAX_WALK_DEPTH } from '../../workers/files/index.js';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { SAMPLE_AUDIT } from '../fake-model/scenarios.js';
import { runCli } from '../helpers/cliProcess.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { giveToUnprivileged } from '../helpers/unprivilegedUser.js';

const DEPTH = 10_000;

/**
 * Builds `d/d/.../d/deep.ts` DEPTH levels down. Each level is made relative to
 * an open directory (mkdirat/openat), as an attacker's script would: a path
 * that long cannot be passed to mkdir, and `cd` in a shell loop re-resolves
 * the whole path each time (minutes instead of a second).
 */
function plantDeepFile(dir: string): void {
  const script = [
    'import os, sys',
    'fd = os.open(sys.argv[1], os.O_RDONLY)',
    `for _ in range(${DEPTH}):`,
    '    os.mkdir("d", dir_fd=fd)',
    '    child = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = child',
    'f = os.open("deep.ts", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)',
    'os.write(f, b"export const hiddenFromTheAudit = eval(process.argv[2]);\\n")',
  ].join('\n');
  execFileSync('python3', ['-c', script, dir]);
}

/** The reasons the issue names: each must be counted, none may vanish. */
const EXPECTED: Partial<Record<ExclusionReason, number>> = {
  'too-deep': 1,
  unreadable: 1,
  'not-a-regular-file': 1,
  'too-large': 1,
  symlink: 1,
  binary: 1,
};

/**
 * Case 10 (silent evasion) and case 9 (FIFOs) of issue 11: a file 10,000
 * directories deep, an unreadable file, a FIFO `.gitignore`, a FIFO at
 * `.git/info/exclude`, a FIFO source file, a 50 MB file, a link and a binary
 * with a source extension. The audit runs through the real CLI (and real
 * Claude Code against the fake model) as the unprivileged user: it finishes,
 * and the record and the output count every file it could not analyse.
 */
describe('files an audit cannot analyse are counted, never skipped silently', () => {
  let root: string;
  let repo: string;
  let snapshot: string;
  let home: string;
  let model: FakeModelServer;

  /** The hostile tree; with `git`, a checkout whose .git/info/exclude is a FIFO too. */
  async function plantTree(dir: string, git: boolean): Promise<void> {
    for (const [file, content] of Object.entries(VULNERABLE_APP)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    if (git) {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
      execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'init'], { cwd: dir });
      await rm(path.join(dir, '.git', 'info', 'exclude'), { force: true });
      await mkdir(path.join(dir, '.git', 'info'), { recursive: true });
      execFileSync('mkfifo', [path.join(dir, '.git', 'info', 'exclude')]);
    }
    // FIFOs nobody ever writes to: a plain open of any of them blocks for ever.
    execFileSync('mkfifo', [path.join(dir, '.gitignore'), path.join(dir, 'src', 'pipe.ts')]);
    await writeFile(path.join(dir, 'src', 'locked.ts'), 'export const locked = true;\n');
    execFileSync('truncate', ['-s', '50M', path.join(dir, 'src', 'huge.ts')]);
    await symlink('/etc/passwd', path.join(dir, 'src', 'passwd.ts'));
    await writeFile(path.join(dir, 'src', 'blob.ts'), Buffer.concat([Buffer.from('const a = 1;'), Buffer.alloc(64, 0)]));
  }

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hw-silent-skips-')));
    repo = path.join(root, 'repo');
    snapshot = path.join(root, 'snapshot');
    home = path.join(root, 'home');
    await mkdir(home);
    await plantTree(repo, true);
    await plantTree(snapshot, false);
    await giveToUnprivileged(root);
    for (const dir of [repo, snapshot]) {
      // After the hand-over (which walks the tree by full paths): root-owned, world-readable, as any checkout.
      plantDeepFile(dir);
      await chmod(path.join(dir, 'src', 'locked.ts'), 0o000);
    }
    model = await startFakeModelServer({ reply: () => ({ kind: 'json', value: SAMPLE_AUDIT, fenced: true }) });
  });
  afterAll(async () => {
    await model?.close();
    // rm -rf walks with openat: a Node recursive rm would meet ENAMETOOLONG on the deep tree.
    execFileSync('rm', ['-rf', root]);
  });

  it('the headless audit of a snapshot finishes and its record counts each file it could not analyse, with the reason', async () => {
    // Act
    // A snapshot without .git: in a checkout, Claude Code's own `git status` opens the FIFO .gitignore
    // (see the report of issue 11: CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS=1 keeps it from running).
    const result = await runCli(['run', 'audit', '--headless', '--repo', snapshot, '--json'], {
      unprivileged: true,
      env: { HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: FAKE_API_KEY, HW_CLAUDE_BIN: CLAUDE_BIN, DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
      timeoutMs: 90_000,
    });

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as RunResult;
    expect(record).toMatchObject({ status: 'SUCCEEDED', mode: 'headless' });
    expect(record.context?.excludedCounts).toMatchObject(EXPECTED);
    const reasons = new Map(record.context?.excluded.map((entry) => [entry.path, entry.reason]));
    expect(reasons.get(Array.from({ length: MAX_WALK_DEPTH }, () => 'd').join('/'))).toBe('too-deep');
    expect(reasons.get('src/locked.ts')).toBe('unreadable');
    expect(reasons.get('src/pipe.ts')).toBe('not-a-regular-file');
    expect(reasons.get('src/huge.ts')).toBe('too-large');
    expect(reasons.get('src/passwd.ts')).toBe('symlink');
    expect(reasons.get('src/blob.ts')).toBe('binary');
    expect(record.context?.files.map((file) => file.path)).toEqual(expect.arrayContaining(['src/config.ts', 'src/db.ts']));
  });

  it('in a git checkout whose .gitignore and .git/info/exclude are FIFOs, the human output counts the skipped files by reason, and --json lists them', async () => {
    // Act
    const shown = await runCli(['run', 'audit', '--dry-run', '--repo', repo], { unprivileged: true, env: { HOME: home }, timeoutMs: 60_000 });
    const listed = await runCli(['run', 'audit', '--dry-run', '--json', '--repo', repo], { unprivileged: true, env: { HOME: home }, timeoutMs: 60_000 });

    // Assess
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/skipped: 1 too-deep, 1 unreadable, 1 not-a-regular-file, 1 too-large, 1 symlink, 1 binary/);
    const plan = JSON.parse(listed.stdout) as RunPlan;
    expect(plan.context.excludedCounts).toMatchObject(EXPECTED);
    expect(plan.context.excluded.length).toBeGreaterThanOrEqual(6);
  });
});
