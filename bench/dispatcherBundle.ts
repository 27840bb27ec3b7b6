import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ENV } from '../workers/cloud/index.js';
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
  const queues = Object.fromEntries(PRIORITIES.map((p) => [p, `https://sqs.us-east-1.amazonaws.com/123456789012/hw-${p}`]));
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    [ENV.tableName]: 'hw-table',
    [ENV.bucketName]: 'hw-bucket',
    [ENV.queueUrls]: JSON.stringify({ strict: queues }),
    [ENV.taskDefinitions]: JSON.stringify({ strict: 'arn:aws:ecs:us-east-1:123456789012:task-definition/hw-strict:1' }),
    [ENV.concurrency]: JSON.stringify({ strict: 4 }),
    [ENV.clusterArn]: 'arn:aws:ecs:us-east-1:123456789012:cluster/hw',
    [ENV.subnets]: 'subnet-1,subnet-2',
    [ENV.securityGroups]: JSON.stringify({ strict: 'sg-1' }),
    [ENV.containerName]: 'worker',
  };
}

/**
 * Bundles `functions/dispatcher/handler.ts` with the esbuild options of
 * `infra/constructs/Dispatcher.ts` (ESM, node24, minified, external source
 * map without sources, every SDK client bundled, the createRequire banner),
 * then imports the bundle cold `runs` times, each in a new node process.
 *
 * @example const { bundleBytes, importMs } = await measureDispatcherBundle();
 */
export async function measureDispatcherBundle(runs = 7): Promise<BundleFigures> {
  const outDir = path.join(tmpdir(), 'hw-bench-dispatcher');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'index.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'functions', 'dispatcher', 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    external: [],
    banner: { js: "import { createRequire as __hwCreateRequire } from 'node:module'; const require = __hwCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
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
