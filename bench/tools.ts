import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const LOCAL_BIN = path.join(import.meta.dirname, '..', '.tools', 'bin');

/**
 * Where an external tool is: the project-local `.tools/bin` (filled by
 * `scripts/install-bench-tools.sh`) first, then PATH; null when absent.
 *
 * @example findTool('scc') // '/work/main/.tools/bin/scc' or null
 */
export function findTool(name: string): string | null {
  const local = path.join(LOCAL_BIN, name);
  if (existsSync(local)) return local;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/** A tool's version line, for the report. */
export function toolVersion(file: string, args: readonly string[]): string {
  const run = spawnSync(file, args, { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.trim().split('\n')[0] ?? '?';
}
