import { spawn } from 'node:child_process';
import { WorkspaceError } from './errors.js';

/** How git is reached for one target: its transports and, for HTTPS, its token. */
export interface GitAccess {
  /** Token for HTTPS (sent as a Basic auth header, never in the URL or argv). */
  readonly token?: { readonly username: string; readonly secret: string };
  readonly allowedProtocols: readonly string[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * `-c` settings every git call of the workspace starts with: symbolic links
 * checked out as plain files, no hooks, no fsmonitor, no `ext::` transport,
 * no submodules.
 */
export const SAFE_GIT_CONFIG = [
  '-c', 'core.symlinks=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'protocol.ext.allow=never',
  '-c', 'submodule.recurse=false',
] as const;

/**
 * Runs git with only the allowed transports (`GIT_ALLOW_PROTOCOL`, which
 * submodules obey too), no system or global config or attributes, no
 * prompts, none of this process's environment beyond PATH, and the
 * token in an HTTP header through `GIT_CONFIG_*` variables: it is in neither
 * the command line nor the repository's config, and is masked in the error.
 * Rejects with a WorkspaceError that starts with `failure` and ends with
 * git's last lines; resolves with git's standard output.
 *
 * @example await runGitProcess([...SAFE_GIT_CONFIG, 'fetch', '--deepen=50', '--', 'origin'], { home, cwd: repoDir, access, failure: 'git fetch failed' });
 */
export function runGitProcess(args: readonly string[], options: { readonly home: string; readonly cwd?: string; readonly access: GitAccess; readonly failure: string }): Promise<string> {
  const { access } = options;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home,
    LANG: 'C.UTF-8',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_ALLOW_PROTOCOL: access.allowedProtocols.join(':'),
    GIT_LFS_SKIP_SMUDGE: '1',
  };
  if (access.token) {
    const basic = Buffer.from(`${access.token.username}:${access.token.secret}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  const secrets = access.token ? [access.token.secret] : [];
  return new Promise<string>((resolve, reject) => {
    const child = spawn('git', [...args], { env, ...(options.cwd ? { cwd: options.cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < 64_000) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), access.timeoutMs ?? 5 * 60_000);
    const abort = () => child.kill('SIGKILL');
    access.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new WorkspaceError(`git could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      access.signal?.removeEventListener('abort', abort);
      if (code === 0) return resolve(stdout);
      if (access.signal?.aborted) return reject(access.signal.reason instanceof Error ? access.signal.reason : new Error('git aborted'));
      const why = mask(lastLines(stderr), secrets) || (signal ? `killed by ${signal} (timeout)` : `exit code ${code}`);
      reject(new WorkspaceError(`${options.failure}: ${why}`));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => (secret ? masked.split(secret).join('***') : masked), text);
}
