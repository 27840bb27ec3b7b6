import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchWorkspace, type FetchWorkspaceDeps } from '../../container/workspace/fetchWorkspace.js';
import { parseConfig, type TargetConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { LocalResultStore } from '../../workers/store/index.js';
import { buildTarball } from '../container/workspace/tarball.js';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer } from '../fake-model/index.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { armHostileConfig, buildHostileRepo, markerReport, markersLeft, setupGit, withCleanConfig } from '../helpers/hostileGitRepo.js';
import { motoClientConfig, useMotoServer } from '../helpers/motoServer.js';

/*
 * Case 3 of issue 11 in the cloud runner: an S3 snapshot is a tarball the
 * target's owner uploads, `.git/config` included. The runner unpacks it and
 * runs an incremental scan on it (git status, diff, log) with the API key,
 * AWS credentials and the ECS credentials URI in its environment. Real S3
 * (moto), the real workspace fetch, the real engine with Claude Code against
 * the fake model: nothing the snapshot's git config defines may run, and the
 * scan must still see the changes between two snapshots.
 */

const moto = useMotoServer();
const t = useClaudeTestBed();
const BUCKET = 'hw-hostile-snapshots';

/** What the runner's environment holds in a task; git must see none of it. */
const RUNNER_SECRETS = {
  ANTHROPIC_API_KEY: FAKE_API_KEY,
  AWS_ACCESS_KEY_ID: 'ASIAQ3EGRJ7XWY5NZ2VB',
  AWS_SECRET_ACCESS_KEY: 'task-role-secret-canary-9d8e7f',
  AWS_SESSION_TOKEN: 'task-role-session-canary-4a5b',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/canary-uuid',
  ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/canary',
};

const FILES = {
  'src/auth.ts': 'export const checkAuthMarker = 1;\n',
  'src/billing.ts': 'export const billingMarker = 2;\n',
  'src/legacy.js': 'module.exports = 3;\n',
  'tools/build.py': 'print("build")\n',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

function s3(): S3Client {
  return new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
}

/** Packs `repo` (its `.git` included) into one top folder, as `tar -czf` of a checkout does, and uploads it. */
async function uploadSnapshot(repo: string, key: string): Promise<void> {
  const archive = path.join(t.bed.root, `${key}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', path.dirname(repo), path.basename(repo)]);
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await readFile(archive) }));
}

function deps(): FetchWorkspaceDeps {
  return { s3: s3(), secrets: new SecretsManagerClient(motoClientConfig(moto.endpoint)), limits: { maxBytes: 1e8, maxEntries: 10_000 }, gitProtocols: ['https'] };
}

describe('an S3 snapshot with a hostile .git', () => {
  it('loses its git config, hooks and info on arrival, runs none of their commands in an incremental scan, and the scan sees the changes', async () => {
    // prepare: the runner's secrets in this process's environment, as in a task
    for (const [name, value] of Object.entries(RUNNER_SECRETS)) vi.stubEnv(name, value);
    await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    const source = path.join(t.bed.root, 'api');
    const markers = path.join(t.bed.root, 'markers');
    await mkdir(source);
    await buildHostileRepo(source, markers, FILES);
    await armHostileConfig(source);
    await uploadSnapshot(source, 'one');
    const base = setupGit(source, 'rev-parse', 'HEAD');
    await withCleanConfig(source, async () => {
      await writeFile(path.join(source, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
      setupGit(source, 'commit', '-q', '-am', 'second');
    });
    await writeFile(path.join(source, 'src/new.ts'), 'export const fresh = 4;\n');
    await uploadSnapshot(source, 'two');
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: { summary: 'nothing', findings: [] } }) });
    const state = path.join(t.bed.root, 'state');
    const engine = new WorkerEngine({ config: parseConfig({}), store: new LocalResultStore(state), stateDir: state, env: { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
    const runOn = async (key: string) => {
      const target = { name: 'api', s3: { bucket: BUCKET, key } } as TargetConfig;
      const repoDir = await fetchWorkspace(target, path.join(t.bed.root, 'runs', key), deps());
      return { repoDir, result: await engine.run({ worker: 'audit', repoDir, target: 'api', mode: 'headless' }) };
    };

    // act: every unpacked file is newer than the index, so git status reads all contents
    const one = await runOn('one');
    const two = await runOn('two');

    // assess
    expect(await markersLeft(markers), await markerReport(markers, RUNNER_SECRETS)).toEqual([]);
    expect(one.result).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'full', headCommit: base } });
    expect(two.result).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental', baseCommit: base, changedFiles: 2 } });
    expect(two.result.context?.files.map((f) => f.path).sort()).toEqual(['src/auth.ts', 'src/new.ts']);
    const gitDir = path.join(two.repoDir, '.git');
    expect(existsSync(path.join(gitDir, 'hooks'))).toBe(false);
    expect(existsSync(path.join(gitDir, 'info'))).toBe(false);
    expect(await readFile(path.join(gitDir, 'config'), 'utf8')).not.toMatch(/filter|include|pager|alias|hooksPath = \.githooks/);
  });

  it('a .git file pointing elsewhere is removed; lock files, alternates and the config go from a .git folder', async () => {
    // prepare
    await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    const gitFile = buildTarball([
      { name: 'app/', type: '5' },
      { name: 'app/main.ts', content: 'export {};\n' },
      { name: 'app/.git', content: 'gitdir: /home/worker/.ssh\n' },
    ]);
    const gitFolder = buildTarball([
      { name: 'app/', type: '5' },
      { name: 'app/main.ts', content: 'export {};\n' },
      { name: 'app/.git/', type: '5' },
      { name: 'app/.git/HEAD', content: 'ref: refs/heads/main\n' },
      { name: 'app/.git/index.lock', content: 'x' },
      { name: 'app/.git/config', content: '[core]\n\tfsmonitor = touch /tmp/pwned\n' },
      { name: 'app/.git/objects/info/alternates', content: '/etc\n' },
    ]);
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gitfile', Body: gitFile }));
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gitfolder', Body: gitFolder }));
    const directory = await mkdtemp(path.join(os.tmpdir(), 'hw-snapshot-git-'));
    const fetch = (key: string) => fetchWorkspace({ name: key, s3: { bucket: BUCKET, key } } as TargetConfig, path.join(directory, key), deps());

    // act
    const [withFile, withFolder] = await Promise.all([fetch('gitfile'), fetch('gitfolder')]);

    // assess
    expect(existsSync(path.join(withFile, '.git'))).toBe(false);
    expect(existsSync(path.join(withFile, 'main.ts'))).toBe(true);
    expect(existsSync(path.join(withFolder, '.git', 'index.lock'))).toBe(false);
    expect(existsSync(path.join(withFolder, '.git', 'objects', 'info', 'alternates'))).toBe(false);
    expect(await readFile(path.join(withFolder, '.git', 'config'), 'utf8')).not.toContain('fsmonitor = touch');
    await rm(directory, { recursive: true, force: true });
  });
});
