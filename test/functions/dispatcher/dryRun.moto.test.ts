import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../functions/dispatcher/parseRequest.js';
import type { DryRunResponse, ErrorResponse } from '../../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../../workers/config/index.js';
import { countQueuedMessages, createTestPipeline, TWO_TARGETS_CONFIG, type TestPipeline } from '../../helpers/motoPipeline.js';
import { useMotoServer } from '../../helpers/motoServer.js';

const CONFIG = TWO_TARGETS_CONFIG;

let pipeline: TestPipeline;
const moto = useMotoServer();

async function nothingWritten(p: TestPipeline): Promise<void> {
  expect(await countQueuedMessages(p)).toBe(0);
  expect((await p.clients.documentClient.send(new ScanCommand({ TableName: p.tableName }))).Items ?? []).toEqual([]);
  expect((await p.clients.ecs.send(new ListTasksCommand({ cluster: p.clusterArn }))).taskArns ?? []).toEqual([]);
}

describe('dispatcher dry run (moto)', () => {
  it('reports the messages a headless run would queue, with the catalog caps per run, and queues, stores and starts nothing', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    const audit = parseConfig(CONFIG).catalog.get('audit')!;
    if (audit.mode !== 'headless') throw new Error('audit is expected to be headless');

    // act
    const response = (await pipeline.dispatch({ worker: 'audit', dryRun: true, priority: 'high', model: 'haiku' }, { awsRequestId: 'req-dry-1' })) as DryRunResponse;

    // assess
    expect(response).toMatchObject({ dryRun: true, queued: 0 });
    expect(response.wouldQueue).toEqual(
      ['demo', 'api'].map((target) => ({
        worker: 'audit',
        target,
        mode: 'headless',
        profile: audit.sandbox,
        priority: 'high',
        queueUrl: pipeline.laneQueueUrls[audit.sandbox as 'strict'][target]!.high,
        model: 'haiku',
        sandbox: audit.sandbox,
        caps: { maxBudgetUsd: audit.maxBudgetUsd, maxOutputTokens: audit.maxOutputTokens, maxTurns: audit.maxTurns, timeoutMs: audit.timeoutMs },
        costsNoTokens: false,
      })),
    );
    expect(response.maxTotalBudgetUsd).toBeCloseTo(audit.maxBudgetUsd * 2, 2);
    expect(response.note).toMatch(/headless-workers run <worker> --dry-run/);
    await nothingWritten(pipeline);
  });

  it('says a local worker costs no tokens, for one target', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });

    // act
    const response = (await pipeline.dispatch({ worker: 'map', target: 'demo', dryRun: true })) as DryRunResponse;

    // assess
    expect(response.wouldQueue).toEqual([
      { worker: 'map', target: 'demo', mode: 'local', profile: 'local', priority: expect.any(String), queueUrl: expect.stringContaining('local'), model: null, sandbox: null, caps: null, costsNoTokens: true },
    ]);
    expect(response.maxTotalBudgetUsd).toBe(0);
    await nothingWritten(pipeline);
  });

  it('refuses a dry run of bad input the way a real run is refused, writing nothing', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });

    // act
    const unknownTarget = (await pipeline.dispatch({ worker: 'audit', target: 'nope', dryRun: true })) as ErrorResponse;

    // assess
    expect(unknownTarget.error).toMatchObject({ field: 'target', allowed: ['demo', 'api'] });
    await nothingWritten(pipeline);
  });
});

describe('parseRequest dryRun', () => {
  it('accepts true and false, and names the field for anything else', () => {
    expect(parseRequest({ worker: 'audit', dryRun: true })).toEqual({ ok: true, request: { kind: 'run', worker: 'audit', dryRun: true } });
    expect(parseRequest({ worker: 'audit', dryRun: false })).toEqual({ ok: true, request: { kind: 'run', worker: 'audit' } });
    expect(parseRequest({ worker: 'audit', dryRun: 'yes' })).toMatchObject({ ok: false, problem: { field: 'dryRun', message: expect.stringMatching(/true or false/) } });
    expect(parseRequest({ source: 'schedule', worker: 'audit', dryRun: true })).toMatchObject({ ok: false });
  });
});

describe('cloud trigger --dry-run (moto)', () => {
  it('prints what would be queued and the caps, and queues nothing', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    const { runCloudCli } = await import('../../helpers/motoCloudCli.js');

    // act
    const result = await runCloudCli(pipeline, ['trigger', 'audit', '--target', 'demo', '--dry-run']);
    const local = await runCloudCli(pipeline, ['trigger', 'map', '--dry-run']);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dry run: nothing queued; would queue 1 run\(s\):\n {2}audit on demo -> strict\/\w+: model \w+, sandbox strict; at most \$[\d.]+ per run/);
    expect(result.stdout).toContain('headless-workers run <worker> --dry-run');
    expect(local.stdout).toContain('map on demo -> local/');
    expect(local.stdout).toContain('costs no tokens');
    await nothingWritten(pipeline);
  });
});
