import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WorkspaceError } from './errors.js';
import { checkGitSource } from './gitSource.js';

export interface CloneOptions {
  readonly url: string;
  readonly branch: string;
  readonly destination: string;
  /** Token for HTTPS (sent as a Basic auth header, never in the URL or argv). */
  readonly token?: { readonly username: string; readonly secret: string };
  readonly allowedProtocols: readonly string[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A shallow, single-branch clone of a target into the scratch volume. The URL
 * and branch are checked first (see `checkGitSource`); git runs with only the
 * allowed transports (`GIT_ALLOW_PROTOCOL`, which submodules obey too), no
 * system or global config, no hooks, no prompts, and symbolic links checked
 * out as plain files so none can point outside the workspace. The token goes
 * in an HTTP header through `GIT_CONFIG_*` variables: it is in neither the
 * command line nor the clone's config, and is masked in error messages.
 *
 * @example
 * await cloneRepository({ url: 'https://github.com/acme/api.git', branch: 'main', destination: dir, allowedProtocols: ['https'] });
 */
export async function cloneRepository(options: CloneOptions): Promise<void> {
  checkGitSource(options.url, options.branch, options.allowedProtocols);
  await mkdir(path.dirname(options.destination), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.dirname(options.destination),
    LANG: 'C.UTF-8',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: options.allowedProtocols.join(':'),
    GIT_LFS_SKIP_SMUDGE: '1',
  };
  if (options.token) {
    const basic = Buffer.from(`${options.token.username}:${options.token.secret}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  const args = [
    '-c', 'core.symlinks=false',
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'core.fsmonitor=false',
    '-c', 'protocol.ext.allow=never',
    '-c', 'submodule.recurse=false',
    'clone', '--depth=1', '--single-branch', '--no-tags', '--no-recurse-submodules',
    `--branch=${options.branch}`,
    '--', options.url, options.destination,
  ];
  const secrets = options.token ? [options.token.secret] : [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 5 * 60_000);
    const abort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new WorkspaceError(`git could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      if (code === 0) return resolve();
      if (options.signal?.aborted) return reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('clone aborted'));
      const why = mask(lastLines(stderr), secrets) || (signal ? `killed by ${signal} (timeout)` : `exit code ${code}`);
      reject(new WorkspaceError(`git clone of ${options.url} (branch ${options.branch}) failed: ${why}`));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => (secret ? masked.split(secret).join('***') : masked), text);
}
