import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { DynamoResultStore, isFinalRun } from '../../workers/cloudRuntime/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, laneFamily, uploadSnapshot } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

describe('the concurrency cap under a burst', () => {
  it('never runs more than the profile cap of tasks for 50 simultaneous triggers, and every run finishes once', async () => {
    // prepare
    const pipeline = await createTestPipeline(moto.endpoint, { concurrency: { local: 2 } });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# a\n' }));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn, pollMs: 50 });
    await agent.start();
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map'] });

    // act: 50 invocations at once, as a burst of `trigger` calls would arrive at the Lambda
    const responses = (await Promise.all(
      Array.from({ length: 50 }, (_, i) => pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: `burst-${i}` })),
    )) as DispatchResponse[];
    const runs = await agent.waitFor(async () => {
      const all = await store.listRuns('map', 20, { hydrate: false });
      const finals = (await store.listFinal({ worker: 'map', limit: 60 }, { hydrate: false })).length;
      return finals === 50 && all.every(isFinalRun) ? finals : undefined;
    }, 60_000, 'all 50 runs to finish');

    // assess
    const family = laneFamily('local');
    const everStarted = await pipeline.clients.ecs.send(new ListTasksCommand({ cluster: pipeline.clusterArn, family }));
    expect(responses.every((r) => r.queued === 1)).toBe(true);
    expect(responses.reduce((sum, r) => sum + r.tasksStarted, 0)).toBe(2);
    expect(runs).toBe(50);
    expect(agent.peakListed.get(family)).toBe(2);
    expect(agent.peakAlive.get(family)).toBeLessThanOrEqual(2);
    expect(everStarted.taskArns?.length).toBe(2);
    const finals = await store.listFinal({ worker: 'map', limit: 60 }, { hydrate: false });
    expect(new Set(finals.map((r) => r.runId)).size).toBe(50);
    expect(finals.every((r) => r.status === 'SUCCEEDED' && r.attempts === 1)).toBe(true);
  });
});
