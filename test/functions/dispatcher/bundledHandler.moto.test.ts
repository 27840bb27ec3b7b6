import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleDispatcher } from '../../../bench/dispatcherBundle.js';
import type { DispatchResponse, StatusResponse } from '../../../workers/cloudRuntime/index.js';
import { createTempDirs } from '../../helpers/contextFixtures.js';
import { countQueuedMessages, createTestPipeline, TWO_TARGETS_CONFIG } from '../../helpers/motoPipeline.js';
import { motoProcessEnv, useMotoServer } from '../../helpers/motoServer.js';

const run = promisify(execFile);
const moto = useMotoServer();
const temp = createTempDirs();
afterEach(() => temp.cleanup());

/** Imports the bundle in a fresh node process with only `env`, as Lambda would, and calls the handler once per payload. */
async function invokeBundle(bundle: string, env: Record<string, string>, payloads: readonly unknown[]): Promise<unknown[]> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const out = [];
for (const payload of ${JSON.stringify(payloads)}) out.push(await handler(payload, { awsRequestId: 'bundle-' + out.length }));
console.log('RESULTS ' + JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  // The handler logs JSON lines of its own on stdout.
  const line = stdout.split('\n').find((text) => text.startsWith('RESULTS '));
  if (!line) throw new Error(`the bundled handler printed no results:\n${stdout}`);
  return JSON.parse(line.slice('RESULTS '.length)) as unknown[];
}

describe('the bundled dispatcher (the Lambda asset)', () => {
  it('queues, starts and reports with the credentials Lambda puts in the environment, the SDK bundled', async () => {
    // prepare: the stack in the emulator, and the handler bundled as the CDK app bundles it
    const pipeline = await createTestPipeline(moto.endpoint, { config: TWO_TARGETS_CONFIG });
    const bundle = path.join(await temp.make('hw-bundle-'), 'index.mjs');
    await bundleDispatcher(bundle);
    const lambdaEnvironment = { ...motoProcessEnv(moto.endpoint), ...pipeline.dispatcherEnv, AWS_SESSION_TOKEN: 'lambda-session' };

    // act
    const [queued, status] = (await invokeBundle(bundle, lambdaEnvironment, [
      { worker: 'map', target: 'demo' },
      { action: 'status' },
    ])) as [DispatchResponse, StatusResponse];

    // assess
    expect(queued).toMatchObject({ queued: 1, tasksStarted: 1 });
    expect(await countQueuedMessages(pipeline)).toBe(1);
    expect(status.pipeline.totals).toMatchObject({ queuedRuns: 1, runningTasks: 1 });
    // The SDK's profile/SSO/STS credential chain is not in the asset: Lambda has no use for it.
    const source = readFileSync(bundle, 'utf8');
    expect(source).not.toContain('sso-oidc');
    expect(source).toContain('AWS_ACCESS_KEY_ID');
    // Issue 6's bar for the asset: a barrel import that drags a heavy module in shows here first.
    expect(Buffer.byteLength(source), 'dispatcher bundle bytes (bar: under 500 KB; `npm run bench -- --only=dispatcher` lists it)').toBeLessThan(500_000);
  });
});
