import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { measureProcess, TimedOutError, DEFAULT_TIMEOUT_MS, type ProcessMeasure } from './measureProcess.js';

const ROOT = path.join(import.meta.dirname, '..');

/** Each child is compiled once per bench run. */
const BUILT = new Map<string, Promise<string>>();

/**
 * Compiles one of `bench/children/*.ts` to JavaScript, runs it with plain
 * node and parses the JSON of its last stdout line. Unlike measureNodeChild
 * (which starts the child under the `tsx` loader), the process time then
 * holds no TypeScript compilation, as with the shipped CLI, which runs the
 * `tsc` output in dist/. The project's own modules are bundled into one file
 * (the CLI loads them one by one, a few milliseconds more); npm packages stay
 * external and load from node_modules as they do for the CLI.
 *
 * @example const { value, measure } = await measureBuiltChild<MapOutput>('mapChild.ts', [dir]);
 */
export async function measureBuiltChild<T>(script: string, args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ value: T; measure: ProcessMeasure }> {
  let built = BUILT.get(script);
  if (!built) {
    built = buildChild(script);
    BUILT.set(script, built);
  }
  const outfile = await built;
  const measure = await measureProcess(process.execPath, [outfile, ...args], { cwd: ROOT, timeoutMs });
  if (measure.timedOut) throw new TimedOutError(script, measure);
  if (measure.exitCode !== 0) throw new Error(`${script} exited ${measure.exitCode}: ${measure.stderr.slice(-2000)}`);
  const lastLine = measure.stdout.trim().split('\n').at(-1) ?? '';
  return { value: JSON.parse(lastLine) as T, measure };
}

/** Bundles `bench/children/<script>` and returns the path of the JavaScript file. */
async function buildChild(script: string): Promise<string> {
  // Inside node_modules so the bundle's bare imports resolve to the project's packages.
  const outDir = path.join(ROOT, 'node_modules', '.cache', 'hw-bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, script.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'children', script)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  return outfile;
}
