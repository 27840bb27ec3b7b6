import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asUnprivileged } from './unprivilegedUser.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_ENTRY = path.join(PROJECT_ROOT, 'cli/main.ts');
/** tsx's loader by absolute URL: `--import tsx` would resolve from the child's cwd (a temp repo). */
const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI as a separate process (through tsx, so the source under
 * test is what runs), with the given environment on top of a clean one.
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; /** Run as the unprivileged test user (see unprivilegedUser.ts). */ unprivileged?: boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_ENTRY, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      // The test run's state root (vitest.config.ts), except as the unprivileged user, who cannot write
      // the root's folder: those runs keep state under the HOME the test gives them.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', HW_STATE_DIR: options.unprivileged ? undefined : process.env.HW_STATE_DIR, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.unprivileged ? asUnprivileged() : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** An environment in which Claude Code is not available: no credentials, no binary. */
export const NO_CLAUDE_ENV = { HW_CLAUDE_BIN: '/nonexistent/claude', ANTHROPIC_API_KEY: undefined } as const;
