import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ENV } from '../workers/cloud/index.js';
import { DISPATCHER_BUNDLING, DISPATCHER_ENTRY } from '../infra/constructs/dispatcherBundling.js';
import { PRIORITIES } from '../workers/catalog/constants.js';

/** Size and cold import time of the dispatcher Lambda as the CDK app bundles it. */
export interface BundleFigures {
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  /** Median of `importRuns` cold imports, each in a fresh node process. */
  readonly importMs: number;
  readonly importRuns: readonly number[];
}

const ROOT = path.join(import.meta.dirname, '..');

/** A deployment's environment, enough for the handler's module-load settings check to pass. */
function dispatcherEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    [ENV.tableName]: 'hw-table',
    [ENV.bucketName]: 'hw-bucket',
    [ENV.namePrefix]: 'hw',
    [ENV.queueUrlBase]: 'https://sqs.us-east-1.amazonaws.com/123456789012/',
    [ENV.concurrency]: JSON.stringify({ strict: 4 }),
    [ENV.clusterArn]: 'arn:aws:ecs:us-east-1:123456789012:cluster/hw',
    [ENV.subnets]: 'subnet-1,subnet-2',
    [ENV.securityGroups]: JSON.stringify({ strict: 'sg-1' }),
    [ENV.containerName]: 'worker',
  };
}

/**
 * Bundles `functions/dispatcher/handler.ts` with the esbuild options the CDK
 * construct uses (`DISPATCHER_BUNDLING`, read by both), then imports the
 * bundle cold `runs` times, each in a new node process.
 *
 * @example const { bundleBytes, importMs } = await measureDispatcherBundle();
 */
export async function measureDispatcherBundle(runs = 7): Promise<BundleFigures> {
  const outDir = path.join(tmpdir(), 'hw-bench-dispatcher');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'index.mjs');
  await bundleDispatcher(outfile);
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); if (typeof m.handler !== 'function') throw new Error('no handler'); console.log(performance.now() - t);`;
  const importRuns: number[] = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: dispatcherEnvironment(), encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`importing the bundle failed: ${child.stderr.slice(-1500)}`);
    importRuns.push(Number(child.stdout.trim()));
  }
  const sorted = [...importRuns].sort((a, b) => a - b);
  return {
    bundleBytes: statSync(outfile).size,
    sourceMapBytes: statSync(`${outfile}.map`).size,
    importMs: sorted[Math.floor(sorted.length / 2)]!,
    importRuns,
  };
}

/**
 * Bundles the dispatcher handler into `outfile` (plus `outfile.map`) with the
 * options of the CDK construct, `DISPATCHER_BUNDLING`.
 *
 * @example await bundleDispatcher('/tmp/dispatcher/index.mjs');
 */
export async function bundleDispatcher(outfile: string): Promise<void> {
  const options = DISPATCHER_BUNDLING;
  await build({
    entryPoints: [path.join(ROOT, DISPATCHER_ENTRY)],
    outfile,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: options.format,
    target: options.target,
    minify: options.minify,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    mainFields: [...options.mainFields],
    external: [...options.externalModules],
    banner: { js: options.banner },
    alias: { ...options.alias },
    logLevel: 'error',
  });
}
