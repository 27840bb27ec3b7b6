import { describe, expect, it } from 'vitest';
import type { Priority } from '../../workers/catalog/types.js';
import { DynamoResultStore, isFinalRun } from '../../workers/cloudRuntime/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

describe('priority order of the task runner', () => {
  it('drains critical first, gives high its boosted turn before critical is empty, then normal and low', async () => {
    // prepare: one task at a time (cap 1), every message queued before it starts
    const pipeline = await createTestPipeline(moto.endpoint, { concurrency: { local: 1 } });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n' }));
    const sent: Priority[] = ['low', 'normal', 'high', 'critical', 'critical', 'critical', 'critical', 'critical'];
    for (const priority of sent) await pipeline.dispatch({ worker: 'map', target: 'demo', priority });
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map'] });

    // act
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    const runs = await agent.waitFor(async () => {
      const all = await store.listRuns('map', 20, { hydrate: false });
      return all.length === sent.length && all.every(isFinalRun) ? all : undefined;
    }, 40_000, 'all eight runs to finish');

    // assess: the order in which the single task took them
    const taken = [...runs].sort((a, b) => String(a.runningSince ?? a.startedAt).localeCompare(String(b.runningSince ?? b.startedAt))).map((r) => r.priority);
    expect(agent.tasks.size).toBe(1);
    expect(taken).toEqual(['critical', 'critical', 'critical', 'high', 'critical', 'critical', 'normal', 'low']);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  });
});
