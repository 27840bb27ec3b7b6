import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * A repository built as an attacker would build one to run commands through
 * whoever runs git in it: its `.git/config` (and files it includes) defines
 * every kind of command git can start — filter drivers (clean, smudge,
 * process), diff drivers and textconv, an external diff, pagers, fsmonitor,
 * hooks (its own hooks path and `.git/hooks`), an ssh command, a credential
 * helper, a gpg program, aliases shadowing the commands a scanner uses,
 * `include.path` and `includeIf` — and `.gitattributes` assigns the drivers
 * to every file. Each command is a payload committed in the repository that
 * writes a marker, with the environment it got, into a folder outside it.
 */

/** The committed payload: `sh .hw-payload.sh <name>` leaves `<markers>/<name>.env` and passes stdin through. */
const PAYLOAD = '.hw-payload.sh';

/** Each place a command can hide in git's config, by the marker it leaves. */
function hostileConfig(): string {
  const run = (name: string) => `sh ${PAYLOAD} ${name}`;
  return [
    '[filter "x"]',
    `\tclean = ${run('filter-clean')}`,
    `\tsmudge = ${run('filter-smudge')}`,
    '[filter "p"]',
    `\tprocess = ${run('filter-process')}`,
    '[diff "x"]',
    `\ttextconv = ${run('diff-textconv')}`,
    `\tcommand = ${run('diff-command')}`,
    '[diff]',
    `\texternal = ${run('diff-external')}`,
    '[core]',
    `\tpager = ${run('core-pager')}`,
    `\tfsmonitor = ${run('core-fsmonitor')}`,
    '\thooksPath = .githooks',
    `\tsshCommand = ${run('core-sshCommand')}`,
    `\taskPass = ${run('core-askPass')}`,
    `\teditor = ${run('core-editor')}`,
    `\talternateRefsCommand = ${run('core-alternateRefsCommand')}`,
    '[pager]',
    `\tstatus = ${run('pager-status')}`,
    `\tlog = ${run('pager-log')}`,
    `\tdiff = ${run('pager-diff')}`,
    '[alias]',
    ...['status', 'log', 'diff', 'rev-parse', 'merge-base', 'st'].map((alias) => `\t${alias} = !${run(`alias-${alias}`)}`),
    '[credential]',
    `\thelper = !${run('credential-helper')}`,
    '[gpg]',
    `\tprogram = ${run('gpg-program')}`,
    '[log]',
    '\tshowSignature = true',
    '[include]',
    '\tpath = ../.hw-included.gitconfig',
    '[includeIf "gitdir:/"]',
    '\tpath = ../.hw-included-if.gitconfig',
    '',
  ].join('\n');
}

const HOOKS = ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-commit', 'post-commit', 'fsmonitor-watchman', 'pre-auto-gc', 'post-rewrite'];

/** Runs git for the test's own setup: never with the hostile config or hooks (see `withHostileConfig`). */
export function setupGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', '-c', 'safe.directory=*', ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();
}

/**
 * Writes `files` plus the attacker's payload, attributes and included config
 * files into `repo`, and commits them (with a clean config). Call
 * `armHostileConfig` afterwards to plant the commands.
 */
export async function buildHostileRepo(repo: string, markers: string, files: Record<string, string>): Promise<void> {
  const payload = `#!/bin/sh\nenv > "${markers}/$1.env" 2>/dev/null\ncat\n`;
  const included = (name: string, driver: string) => `[filter "${driver}"]\n\tclean = sh ${PAYLOAD} ${name}\n\tsmudge = sh ${PAYLOAD} ${name}\n`;
  const all: Record<string, string> = {
    ...files,
    [PAYLOAD]: payload,
    // `*` first: later lines win for the files they match.
    '.gitattributes': '* filter=x diff=x\n*.md filter=p\n*.js filter=z\n*.py filter=w\n',
    '.hw-included.gitconfig': included('include-path-filter', 'z'),
    '.hw-included-if.gitconfig': included('includeIf-filter', 'w'),
  };
  for (const [relative, content] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(repo, relative)), { recursive: true });
    await writeFile(path.join(repo, relative), content);
  }
  await chmod(path.join(repo, PAYLOAD), 0o755);
  await mkdir(markers, { recursive: true });
  await chmod(markers, 0o1777);
  setupGit(repo, 'init', '-q');
  // Hooks both in a committed folder the config names and in `.git/hooks`.
  await mkdir(path.join(repo, '.githooks'), { recursive: true });
  for (const hook of HOOKS) {
    for (const folder of [path.join(repo, '.githooks'), path.join(repo, '.git', 'hooks')]) {
      await writeFile(path.join(folder, hook), `#!/bin/sh\nsh "${path.join(repo, PAYLOAD)}" hook-${hook} </dev/null\n`, { mode: 0o755 });
    }
  }
  setupGit(repo, 'add', '-A');
  setupGit(repo, 'commit', '-q', '-m', 'first');
}

/** Plants the hostile `.git/config` (the clean one is kept aside for the test's own commits). */
export async function armHostileConfig(repo: string): Promise<void> {
  await rename(path.join(repo, '.git', 'config'), path.join(repo, '.git', 'config.clean'));
  await writeFile(path.join(repo, '.git', 'config'), `${hostileConfig()}`);
}

/** Runs `action` (the test's own git setup) with the clean config, then plants the hostile one back. */
export async function withCleanConfig<T>(repo: string, action: () => T | Promise<T>): Promise<T> {
  await rename(path.join(repo, '.git', 'config'), path.join(repo, '.git', 'config.hostile'));
  await rename(path.join(repo, '.git', 'config.clean'), path.join(repo, '.git', 'config'));
  try {
    return await action();
  } finally {
    await rename(path.join(repo, '.git', 'config'), path.join(repo, '.git', 'config.clean'));
    await rename(path.join(repo, '.git', 'config.hostile'), path.join(repo, '.git', 'config'));
  }
}

/** The markers left so far: one per hostile command that ran. */
export async function markersLeft(markers: string): Promise<string[]> {
  return (await readdir(markers).catch(() => [] as string[])).sort();
}

/**
 * For an assertion's message: each marker left and which of `secrets` (name →
 * value) reached the command's environment.
 *
 * @example expect(await markersLeft(dir), await markerReport(dir, { AWS_SECRET_ACCESS_KEY: 'x' })).toEqual([]);
 */
export async function markerReport(markers: string, secrets: Record<string, string>): Promise<string> {
  const lines = [];
  for (const name of await markersLeft(markers)) {
    const env = await readFile(path.join(markers, name), 'utf8').catch(() => '');
    const leaked = Object.entries(secrets).filter(([, value]) => env.includes(value)).map(([key]) => key);
    lines.push(`${name} ran${leaked.length > 0 ? ` with ${leaked.join(', ')}` : ''}`);
  }
  return lines.join('; ');
}
