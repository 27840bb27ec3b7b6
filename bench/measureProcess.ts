import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one measured child process did. */
export interface ProcessMeasure {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** Wall time of the whole process, spawn to exit, in milliseconds. */
  readonly wallMs: number;
  /** Peak resident set size in MiB (from `/usr/bin/time -v`), or null when unknown. */
  readonly peakRssMiB: number | null;
  /** True when the process was killed for running past its time limit. */
  readonly timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';

/** True when peak memory of any child can be read with GNU time. */
export const HAS_GNU_TIME = existsSync(GNU_TIME);

let sequence = 0;

/**
 * Runs a command to completion and measures its wall time and, through
 * `/usr/bin/time -v`, its peak RSS. Never throws on a non-zero exit: the
 * caller decides what a failure means.
 *
 * @example const run = await measureProcess('cloc', ['--json', dir]); run.peakRssMiB
 */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<ProcessMeasure> {
  const timeFile = path.join(tmpdir(), `hw-bench-time-${process.pid}-${sequence++}.txt`);
  const [file, argv] = HAS_GNU_TIME ? [GNU_TIME, ['-v', '-o', timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  let timedOut = false;
  const result = await new Promise<{ stdout: string; stderr: string; exitCode: number }>((resolve, reject) => {
    // Its own process group, so a time limit ends the tool and not just /usr/bin/time.
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs)
      : undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 });
    });
  });
  const wallMs = performance.now() - started;
  let peakRssMiB: number | null = null;
  if (HAS_GNU_TIME && existsSync(timeFile)) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    if (match) peakRssMiB = Number(match[1]) / 1024;
    rmSync(timeFile, { force: true });
  }
  return { ...result, wallMs, peakRssMiB, timedOut };
}

/** A child's time limit unless the caller gives one: a run past it is reported, not waited for. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** A measured child killed at its time limit; `measure.wallMs` is a lower bound of its time. */
export class TimedOutError extends Error {
  constructor(
    script: string,
    readonly measure: ProcessMeasure,
  ) {
    super(`${script} did not finish in ${Math.round(measure.wallMs / 1000)} s`);
    this.name = 'TimedOutError';
  }
}

/** Path of the `tsx` loader, so children run the project's TypeScript directly. */
const TSX = 'tsx';

/**
 * Runs one of `bench/children/*.ts` in a fresh node process and parses the
 * JSON it prints on its last stdout line.
 *
 * @example const { value, measure } = await measureNodeChild<MapOutput>('mapChild.ts', [dir]);
 */
export async function measureNodeChild<T>(script: string, args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ value: T; measure: ProcessMeasure }> {
  const entry = path.join(import.meta.dirname, 'children', script);
  const measure = await measureProcess(process.execPath, ['--import', TSX, entry, ...args], { cwd: path.join(import.meta.dirname, '..'), timeoutMs });
  if (measure.timedOut) throw new TimedOutError(script, measure);
  if (measure.exitCode !== 0) throw new Error(`${script} exited ${measure.exitCode}: ${measure.stderr.slice(-2000)}`);
  const lastLine = measure.stdout.trim().split('\n').at(-1) ?? '';
  return { value: JSON.parse(lastLine) as T, measure };
}
