import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';

/*
 * Issue 13: `daemon stop` could return before the daemon had exited (its wait
 * took an exiting process, whose /proc cmdline already reads empty, for gone,
 * and after SIGKILL it did not wait at all). Right after `stop` returns, the
 * daemon's process must have exited: gone, or a zombie that runs nothing more.
 */

/** True while the process exists and is not a zombie (read straight from /proc, no name check). */
function stillRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('daemon stop', () => {
  let repo: string;
  let config: string;
  beforeEach(async () => {
    repo = await makeRepo(VULNERABLE_APP);
    config = `${repo}.config.json`;
    await writeFile(config, JSON.stringify({ workers: { map: { intervalMs: 200 }, consolidate: { enabled: false }, optimize: { enabled: false }, testgaps: { enabled: false }, audit: { enabled: false } } }));
  });
  afterEach(async () => {
    await runCli(['--config', config, 'daemon', 'stop', '--repo', repo]);
    await rm(repo, { recursive: true, force: true });
    await rm(config, { force: true });
  });

  it('returns only once the daemon process has exited, run after run', async () => {
    for (let round = 0; round < 2; round++) {
      const started = await runCli(['--config', config, 'daemon', 'start', '--local', '--repo', repo], { env: { ...NO_CLAUDE_ENV, HW_DAEMON_TICK_MS: '50' } });
      expect(started.code, started.stderr).toBe(0);
      const pid = Number(/pid (\d+)/.exec(started.stdout)?.[1]);

      const stopped = await runCli(['--config', config, 'daemon', 'stop', '--repo', repo]);

      expect(stillRunning(pid)).toBe(false);
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toBe(`daemon stopped (pid ${pid})\n`);
    }
  });

  it('says so, and exits 0, when no daemon runs', async () => {
    const result = await runCli(['--config', config, 'daemon', 'stop', '--repo', repo]);

    expect(result).toMatchObject({ code: 0, stdout: 'no daemon running\n' });
  });
});
