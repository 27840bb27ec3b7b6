import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned Claude Code CLI of this project. */
export const CLAUDE_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.bin', 'claude');

/** A fake key: the fake server accepts anything, and a real key must never be needed by tests. */
export const FAKE_API_KEY = 'sk-ant-fake-test-key';

/** A temporary workspace and HOME for one real Claude Code run, removed by `cleanup`. */
export interface ClaudeTestBed {
  readonly root: string;
  /** The repository the CLI works in. */
  readonly workspace: string;
  /** HOME of the CLI run, so it never touches the real user's ~/.claude. */
  readonly home: string;
  /** Source environment for `runClaude({ env })` against a fake server. */
  env(baseUrl: string, extra?: Record<string, string>): Record<string, string>;
  /** Writes files (relative to the workspace), creating folders. */
  write(files: Record<string, string>): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Creates a test bed with a workspace, HOME and TMPDIR under one temp folder.
 *
 * @example
 * const bed = await createClaudeTestBed({ 'src/a.ts': 'export {}' });
 * await runClaude({ ..., workspaceDir: bed.workspace, env: bed.env(server.url) });
 * await bed.cleanup();
 */
export const createClaudeTestBed = async (files: Record<string, string> = {}): Promise<ClaudeTestBed> => {
  const root = await mkdtemp(join(tmpdir(), 'hw-headless-'));
  const workspace = join(root, 'workspace');
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  await Promise.all([mkdir(workspace), mkdir(home), mkdir(tmp)]);
  const write = async (toWrite: Record<string, string>): Promise<void> => {
    for (const [path, content] of Object.entries(toWrite)) {
      const target = join(workspace, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  };
  await write(files);
  return {
    root,
    workspace,
    home,
    env: (baseUrl, extra = {}) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      TMPDIR: tmp,
      ANTHROPIC_BASE_URL: baseUrl,
      ANTHROPIC_API_KEY: FAKE_API_KEY,
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ...extra,
    }),
    write,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
};
