import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloneRepository } from '../../../container/workspace/cloneRepository.js';
import { deepenToCommit } from '../../../container/workspace/deepenToCommit.js';
import { WorkspaceError } from '../../../container/workspace/errors.js';
import { fetchWorkspace, gitHistoryFetcher, type FetchWorkspaceDeps } from '../../../container/workspace/fetchWorkspace.js';
import { parseConfig, type TargetConfig } from '../../../workers/config/index.js';
import { gitChangedFiles } from '../../../workers/context/gitChangedFiles.js';
import { WorkerEngine } from '../../../workers/engine/WorkerEngine.js';
import { LocalResultStore } from '../../../workers/store/index.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../../fake-model/index.js';

/*
 * Incremental scans of git targets in the cloud: the task's clone is shallow,
 * so the base commit of the last run is fetched (the clone deepened) before
 * diffing; when it cannot be, the scan is full and says why. Real git, a
 * source repository served over file://, as the clone tests do.
 */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

let root: string;
let source: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hw-incremental-fetch-'));
  source = path.join(root, 'source');
  execFileSync('mkdir', ['-p', path.join(source, 'src')]);
  git(source, 'init', '-q');
  await writeFile(path.join(source, 'src/auth.ts'), 'export const checkAuthMarker = 1;\n');
  await writeFile(path.join(source, 'src/billing.ts'), 'export const billingMarker = 2;\n');
  git(source, 'add', '.');
  git(source, 'commit', '-qm', 'first');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `count` commits that each touch only `src/log.txt`. */
async function churn(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await writeFile(path.join(source, 'src/log.txt'), `${i}\n`);
    git(source, 'add', 'src/log.txt');
    git(source, 'commit', '-qm', `churn ${i}`);
  }
}

async function shallowClone(name: string): Promise<string> {
  const destination = path.join(root, name, 'repo');
  await cloneRepository({ url: `file://${source}`, branch: 'main', destination, allowedProtocols: ['file'] });
  return destination;
}

describe('deepenToCommit', () => {
  it('deepens a shallow clone step by step until the base commit and its history to HEAD are there', async () => {
    // prepare: the base is 60 commits behind, beyond the first 50-commit step
    await writeFile(path.join(source, 'src/log.txt'), 'start\n');
    git(source, 'add', '.');
    git(source, 'commit', '-qm', 'base');
    const base = git(source, 'rev-parse', 'HEAD');
    await churn(59);
    await writeFile(path.join(source, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
    git(source, 'commit', '-qam', 'auth');
    const repo = await shallowClone('a');
    const before = await gitChangedFiles(repo, base);

    // act
    await deepenToCommit(repo, base, { allowedProtocols: ['file'] });

    // assess
    expect(before).toBeNull();
    expect([...(await gitChangedFiles(repo, base))!].sort()).toEqual(['src/auth.ts', 'src/log.txt']);
  });

  it('says so when the commit is not in the branch (history rewritten), and refuses what is not a commit id', async () => {
    // prepare
    git(source, 'commit', '-q', '--allow-empty', '-m', 'to be dropped');
    const dropped = git(source, 'rev-parse', 'HEAD');
    git(source, 'reset', '-q', '--hard', 'HEAD~1');
    git(source, 'reflog', 'expire', '--expire=now', '--all');
    git(source, 'gc', '-q', '--prune=now');
    const repo = await shallowClone('b');
    const marker = path.join(root, 'pwned');

    // act
    const rewritten = await deepenToCommit(repo, dropped, { allowedProtocols: ['file'] }).catch((e: unknown) => e);
    const injected = await Promise.all(
      [`--upload-pack=touch ${marker}`, 'HEAD~1', `${'a'.repeat(39)}`, `${'a'.repeat(40)} --exec=x`].map((commit) => deepenToCommit(repo, commit, { allowedProtocols: ['file'] }).catch((e: unknown) => e)),
    );

    // assess
    expect(rewritten).toBeInstanceOf(WorkspaceError);
    expect((rewritten as Error).message).toBe(`commit ${dropped.slice(0, 12)} is not in the branch's history (rewritten since?)`);
    for (const error of injected) {
      expect(error).toBeInstanceOf(WorkspaceError);
      expect((error as Error).message).toMatch(/^base commit refused: .* is not a full hexadecimal commit id$/);
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('incremental scans of a cloned git target (real Claude Code, fake model)', () => {
  let bed: ClaudeTestBed;
  let server: FakeModelServer;
  beforeEach(async () => {
    bed = await createClaudeTestBed();
    server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: { summary: 'nothing', findings: [] } }) });
  });
  afterEach(async () => {
    await server.close();
    await bed.cleanup();
  });

  it('scans only the changes since the last run in a fresh shallow clone, and falls back to full, saying why, when the base is gone', async () => {
    // prepare: each run clones afresh, as each cloud task does
    const target: TargetConfig = { name: 'api', git: { url: `file://${source}`, branch: 'main' } } as TargetConfig;
    // Clients for the deps' shape only: a git target without a token secret calls neither.
    const deps: FetchWorkspaceDeps = { s3: new S3Client({ region: 'eu-west-1' }), secrets: new SecretsManagerClient({ region: 'eu-west-1' }), limits: { maxBytes: 1e8, maxEntries: 1000 }, gitProtocols: ['file'] };
    const engine = new WorkerEngine({ config: parseConfig({}), store: new LocalResultStore(path.join(root, 'state')), stateDir: path.join(root, 'state'), env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
    const runInFreshClone = async (name: string) => {
      const repoDir = await fetchWorkspace(target, path.join(root, name), deps);
      return engine.run({ worker: 'audit', repoDir, target: 'api', mode: 'headless', fetchCommit: gitHistoryFetcher(target, repoDir, deps) });
    };
    const lastPrompt = () => server.mainRequests().at(-1)?.rawBody ?? '';

    // act
    const first = await runInFreshClone('run-1');
    await churn(3);
    await writeFile(path.join(source, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
    git(source, 'commit', '-qam', 'auth');
    const second = await runInFreshClone('run-2');
    const secondPrompt = lastPrompt();
    // History rewritten: the commit the second run saw is gone from the branch.
    git(source, 'reset', '-q', '--hard', 'HEAD~1');
    await writeFile(path.join(source, 'src/billing.ts'), 'export const billingMarker = 5;\n');
    git(source, 'commit', '-qam', 'billing, rewritten');
    git(source, 'reflog', 'expire', '--expire=now', '--all');
    git(source, 'gc', '-q', '--prune=now');
    const third = await runInFreshClone('run-3');

    // assess
    expect(first.scan).toMatchObject({ kind: 'full' });
    expect(second).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental', baseCommit: first.scan?.headCommit, changedFiles: 2 } });
    expect(second.context?.files.map((f) => f.path)).toEqual(['src/auth.ts']);
    expect(secondPrompt).toContain('checkAuthMarker = 3');
    expect(secondPrompt).not.toContain('billingMarker');
    expect(third.status).toBe('SUCCEEDED');
    expect(third.scan).toMatchObject({ kind: 'full', reason: `commit ${second.scan!.headCommit!.slice(0, 12)} of the last run could not be fetched: commit ${second.scan!.headCommit!.slice(0, 12)} is not in the branch's history (rewritten since?)` });
    expect(lastPrompt()).toContain('billingMarker = 5');
  }, 180_000);
});
