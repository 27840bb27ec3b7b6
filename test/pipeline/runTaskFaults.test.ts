import { describe, expect, it } from 'vitest';
import { DynamoResultStore, type DispatchResponse, type ReconcileResponse } from '../../workers/cloudRuntime/index.js';
import { countDeadLettered } from '../helpers/deadLetters.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { AWS_FAULTS, type ProxiedCall } from '../helpers/faultProxy.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { countQueuedMessages, createTestPipeline, SNAPSHOT_BUCKET, uploadSnapshot } from '../helpers/motoPipeline.js';
import { reconcileUntil } from '../helpers/reconcileLoop.js';

const faults = useFaultInjection();

/** Four targets from one snapshot: a `map` trigger without a target queues four runs. */
const FOUR_TARGETS = { targets: ['north', 'south', 'east', 'west'].map((name) => ({ name, s3: { bucket: SNAPSHOT_BUCKET, key: 'demo.tar.gz' } })) };
const isRunTask = (call: ProxiedCall) => call.service === 'ecs' && call.operation === 'RunTask';

/** Milliseconds between consecutive calls. */
const gapsBetween = (calls: readonly ProxiedCall[]) => calls.slice(1).map((call, i) => call.at - calls[i]!.at);

describe('RunTask failing with throttling and capacity errors', () => {
  it('the dispatcher retries with backoff, then leaves the messages waiting; a later reconcile tick starts tasks and every run finishes once', async () => {
    // prepare: every AWS call goes through the fault proxy; the agent runs whatever ECS really starts
    const proxy = await faults.startProxy();
    const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['local'], concurrency: { local: 2 }, config: FOUR_TARGETS });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# a\n' }));
    const agent = await faults.startAgent(pipeline);
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map'] });

    // act 1: ECS throttles every RunTask
    const throttling = proxy.outage({ matches: isRunTask, fault: () => AWS_FAULTS.ecsThrottled() });
    const throttled = (await pipeline.dispatch({ worker: 'map' }, { awsRequestId: 'while-throttled' })) as DispatchResponse;
    throttling.end();

    // act 2: Fargate has no capacity; the reconcile schedule ticks meanwhile
    const noCapacity = proxy.outage({ matches: isRunTask, fault: () => AWS_FAULTS.ecsNoCapacity() });
    const refused = (await pipeline.dispatch({ worker: 'map' }, { awsRequestId: 'without-capacity' })) as DispatchResponse;
    const duringOutage = (await pipeline.dispatch({ source: 'schedule', action: 'reconcile' })) as ReconcileResponse;
    const waitingDuringOutage = await countQueuedMessages(pipeline);
    const tasksDuringOutage = agent.tasks.size;
    noCapacity.end();

    // act 3: ECS works again; the next reconcile ticks start tasks for the waiting messages
    await reconcileUntil(pipeline, agent, async () => (await countQueuedMessages(pipeline)) === 0, 90_000, 'the waiting runs to be consumed');
    await agent.waitUntilIdle(30_000);

    // assess
    const runIds = [...throttled.runIds, ...refused.runIds];
    const finals = await store.listFinal({ worker: 'map', limit: 20 }, { hydrate: false });
    const finished = agent.logLines().filter((l) => l.msg === 'run finished');
    const dispatcherTries = throttling.refused.filter((c) => c.sdkAttempt === 1);
    process.stdout.write(
      `RunTask faults: ${throttling.refused.length} RunTask calls throttled (${dispatcherTries.length} dispatcher tries, each retried by the SDK), ${noCapacity.refused.length} answered "no capacity" ` +
        `(gaps between one dispatch's tries: ${gapsBetween(noCapacity.refused.slice(0, 4)).join(', ')} ms), ${runIds.length} runs waited, ` +
        `${agent.tasks.size} tasks started by reconcile, ${finals.length} runs SUCCEEDED\n`,
    );
    expect(throttled).toMatchObject({ queued: 4, tasksStarted: 0 });
    expect(throttled.taskWarnings?.[0]).toMatch(/^local: [a-z]+: ThrottlingException: Rate exceeded/);
    // The dispatcher's own four tries (a first try and three after backoff), each retried by the SDK too.
    expect(dispatcherTries).toHaveLength(4);
    expect(throttling.refused.length).toBeGreaterThan(4);
    expect(refused).toMatchObject({ queued: 4, tasksStarted: 0 });
    expect(refused.taskWarnings?.[0]).toMatch(/^local: [a-z]+: Capacity is unavailable at this time/);
    expect(duringOutage.tasksStarted).toBe(0);
    expect(duringOutage.reconciled[0]).toMatchObject({ profile: 'local', running: 0, waiting: 8, started: [] });
    // One try and three retries per call (a failures[] answer is HTTP 200: the SDK does not retry it), for the dispatch and the tick.
    expect(noCapacity.refused).toHaveLength(8);
    expect(waitingDuringOutage).toBe(8);
    expect(tasksDuringOutage).toBe(0);
    expect(agent.tasks.size).toBeGreaterThanOrEqual(1);
    // The cap is the profile's, over all its lanes (one per target).
    expect(agent.peakListedByProfile.get('local')).toBeGreaterThanOrEqual(1);
    expect(agent.peakListedByProfile.get('local')).toBeLessThanOrEqual(2);
    expect(new Set(runIds).size).toBe(8);
    expect(finals.map((r) => r.runId).sort()).toEqual([...runIds].sort());
    expect(finals.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(finished.map((l) => l.runId).sort()).toEqual([...runIds].sort());
    expect(await countDeadLettered(pipeline)).toBe(0);
  }, 120_000);
});
