import { mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStateDir, openLocalState, stateRoot } from '../../workers/store/index.js';

describe('openLocalState', () => {
  let scratch: string;
  let repo: string;
  beforeEach(async () => {
    scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hw-state-')));
    repo = path.join(scratch, 'repo');
    await mkdir(repo);
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('keeps state outside the repository by default, keyed by its real path, under HW_STATE_DIR, XDG_STATE_HOME or HOME', async () => {
    // Prepare
    const env = { HW_STATE_DIR: path.join(scratch, 'root') };

    // Act
    const state = await openLocalState(repo, undefined, { env });
    const throughLink = path.join(scratch, 'link-to-repo');
    await symlink(repo, throughLink);
    const again = await openLocalState(throughLink, undefined, { env });

    // Assess
    expect(state.stateDir).toBe(defaultStateDir(repo, env));
    expect(state.stateDir).toMatch(new RegExp(`^${scratch}/root/repo-[0-9a-f]{16}$`));
    expect(again.stateDir).toBe(state.stateDir);
    expect(state.insideRepository).toBe(false);
    expect((await stat(state.stateDir)).mode & 0o777).toBe(0o700);
    expect(stateRoot({ XDG_STATE_HOME: '/x/state', HOME: '/home/a' })).toBe('/x/state/headless-workers');
    expect(stateRoot({ XDG_STATE_HOME: 'relative', HOME: '/home/a' })).toBe('/home/a/.local/state/headless-workers');
  });

  it('never reads an old in-repository folder, and says once where state went and how to keep the old place', async () => {
    // Prepare
    await mkdir(path.join(repo, '.headless-workers', 'results'), { recursive: true });
    const env = { HW_STATE_DIR: path.join(scratch, 'root') };
    const notices: string[] = [];

    // Act
    await openLocalState(repo, undefined, { env, notify: (line) => notices.push(line) });
    await openLocalState(repo, undefined, { env, notify: (line) => notices.push(line) });

    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`--state-dir ${path.join(repo, '.headless-workers')}`);
    expect(notices[0]).toContain(defaultStateDir(repo, env));
  });

  it('refuses a state folder inside the repository that holds or sits behind a link, naming the fix', async () => {
    // Prepare: links planted as a repository would, pointing outside.
    const outside = path.join(scratch, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'victim'), 'ORIGINAL\n');
    await mkdir(path.join(repo, 'planted'));
    await symlink(outside, path.join(repo, 'planted', 'results'));
    await symlink(outside, path.join(repo, 'linked-state'));

    // Act / Assess
    await expect(openLocalState(repo, path.join(repo, 'planted'))).rejects.toThrow(/holds a symbolic link, results.*--state-dir DIR outside the repository/);
    await expect(openLocalState(repo, path.join(repo, 'linked-state'))).rejects.toThrow(/linked-state is a symbolic link/);
    await expect(openLocalState(repo, path.join(repo, 'linked-state', 'deeper'))).rejects.toThrow(/is a symbolic link/);
    expect(await readFile(path.join(outside, 'victim'), 'utf8')).toBe('ORIGINAL\n');
  });

  it('uses a clean state folder the operator put inside the repository, with a .gitignore of *', async () => {
    // Act
    const state = await openLocalState(repo, path.join(repo, '.headless-workers'));

    // Assess
    expect(state.insideRepository).toBe(true);
    expect(await readFile(path.join(repo, '.headless-workers', '.gitignore'), 'utf8')).toBe('*\n');
  });
});
