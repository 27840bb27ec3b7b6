import { execFile } from 'node:child_process';
import { findTrustedExecutable } from './trustedPath.js';

/** Environment variable with which the operator asks for Bash inside Claude Code's sandbox. */
export const BASH_SANDBOX_ENV = 'HW_BASH_SANDBOX';

/** Why Bash is not offered when the operator allow-listed commands. */
export const BASH_NEEDS_SANDBOX =
  "Bash not offered: commands could read other processes' environments; needs Claude Code's sandbox (bubblewrap)";

/**
 * Claude Code's own sandbox for its Bash tool (2.1.332, Linux: bubblewrap in new user and
 * PID namespaces, network through its proxy with no domain allowed), passed with
 * `--settings` while `--setting-sources ''` keeps the repository's settings out. Measured
 * as a non-root user: an allow-listed command that reads every `/proc/<pid>/environ` sees
 * only the processes inside the sandbox, never the CLI's or this product's environment.
 * - `failIfUnavailable`: the CLI refuses to start instead of running commands unsandboxed;
 * - `allowUnsandboxedCommands: false`: no `dangerouslyDisableSandbox` retry outside it;
 * - `autoAllowBashIfSandboxed: false`: still only the allow-listed commands run.
 */
export const BASH_SANDBOX_SETTINGS = {
  sandbox: {
    enabled: true,
    failIfUnavailable: true,
    allowUnsandboxedCommands: false,
    autoAllowBashIfSandboxed: false,
    excludedCommands: [],
  },
} as const;

/** Whether Bash may be offered, and why not when it may not. */
export interface BashOffer {
  readonly offered: boolean;
  readonly reason?: string;
}

/** What the probe found. */
export interface BashSandboxProbe {
  readonly works: boolean;
  /** What is missing or failed, for the run record. */
  readonly detail?: string;
}

const PROBE_TIMEOUT_MS = 10_000;

/**
 * Proves, by running it, that bubblewrap can give a command its own user and PID
 * namespaces with a fresh `/proc` here, as this user (Fargate and many containers
 * allow no user namespaces). `bwrap` and `socat` (Claude Code's network bridge on Linux)
 * are looked up only in trusted PATH entries. Linux only: elsewhere the sandbox's
 * process isolation has not been measured, so it counts as not working.
 *
 * @example
 * const probe = await probeBashSandbox(process.env, [repoDir]);
 * if (!probe.works) console.log(probe.detail);
 */
export const probeBashSandbox = async (
  env: Readonly<Record<string, string | undefined>>,
  untrustedDirs: readonly string[],
): Promise<BashSandboxProbe> => {
  if (process.platform !== 'linux') return { works: false, detail: `the sandbox's process isolation is measured on Linux only (this is ${process.platform})` };
  const bwrap = findTrustedExecutable('bwrap', env.PATH, untrustedDirs);
  if (!bwrap) return { works: false, detail: 'bubblewrap (bwrap) is not installed' };
  if (!findTrustedExecutable('socat', env.PATH, untrustedDirs)) return { works: false, detail: 'socat (the sandbox network bridge) is not installed' };
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-user', '--unshare-pid', '--die-with-parent', '--', bwrap, '--version'];
  return new Promise((resolve) => {
    execFile(bwrap, args, { timeout: PROBE_TIMEOUT_MS, env: { PATH: env.PATH ?? '/usr/bin:/bin' } }, (error, _stdout, stderr) => {
      if (!error) resolve({ works: true });
      else resolve({ works: false, detail: `bubblewrap cannot create namespaces here: ${(String(stderr).trim() || error.message).slice(0, 200)}` });
    });
  });
};

/**
 * The decision rule for the permissive profile's Bash: offered only when the operator
 * allow-listed commands, asked for the sandbox (`HW_BASH_SANDBOX=1`) and the probe proved
 * it works. Otherwise an allowed command could read the environment of every process of
 * the same user through `/proc/<pid>/environ` (the CLI's API key, this product's AWS keys
 * and tokens), so Bash is not offered and the reason says so.
 *
 * @example
 * decideBashOffer({ commands: ['npm test'], sandboxRequested: false }); // { offered: false, reason: 'Bash not offered: …' }
 */
export const decideBashOffer = (input: {
  readonly commands: readonly string[];
  readonly sandboxRequested: boolean;
  readonly probe?: BashSandboxProbe;
}): BashOffer => {
  if (input.commands.length === 0) return { offered: false };
  if (!input.sandboxRequested) return { offered: false, reason: `${BASH_NEEDS_SANDBOX}; the operator did not ask for it (${BASH_SANDBOX_ENV}=1)` };
  if (!input.probe?.works) return { offered: false, reason: `${BASH_NEEDS_SANDBOX}; it does not work here: ${input.probe?.detail ?? 'not probed'}` };
  return { offered: true };
};
