import { describe, expect, it } from 'vitest';
import { DynamoResultStore, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { countDeadLettered } from '../helpers/deadLetters.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { countQueuedMessages, createTestPipeline, SNAPSHOT_BUCKET, uploadSnapshot } from '../helpers/motoPipeline.js';
import { reconcileUntil } from '../helpers/reconcileLoop.js';
import { KILL_POINTS, lastStepOf, RUN_STEPS, RunnerReaper, taskIdOf } from '../helpers/runnerReaper.js';

const RUNS = 36;
/** Set HW_KILL_SWEEP_SEED to replay a sweep's sequence of fates (the interleaving of tasks still varies). */
const SEED = Number(process.env.HW_KILL_SWEEP_SEED ?? Math.floor(Math.random() * 2 ** 31));

const faults = useFaultInjection();

describe('runners killed at random points', () => {
  it(`every one of ${RUNS} runs ends with exactly one SUCCEEDED record while runners are SIGKILLed before the fetch, mid-run and between storing and deleting`, async () => {
    // prepare: every AWS call goes through the fault proxy, which tells the reaper which task sends what
    const started = Date.now();
    const proxy = await faults.startProxy();
    const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['local'], concurrency: { local: 2 }, visibilityTimeoutSeconds: 6, maxReceiveCount: 10 });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.py': 'b = 2\n', 'README.md': '# sweep\n' }));
    const agent = await faults.startAgent(pipeline, { pollMs: 50, extraEnv: (_family, taskArn) => ({ AWS_SDK_UA_APP_ID: taskIdOf(taskArn) }) });
    const reaper = new RunnerReaper({ agent, proxy, snapshotBucket: SNAPSHOT_BUCKET, seed: SEED, maxKills: 15, maxNth: 3 });
    reaper.start();
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map', 'unknown'] });

    // act: a burst of runs; the reconcile schedule (every second here) brings up tasks for messages whose task died
    const responses = (await Promise.all(Array.from({ length: RUNS }, (_, i) => pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: `sweep-${i}` })))) as DispatchResponse[];
    const runIds = responses.flatMap((r) => r.runIds);
    await reconcileUntil(pipeline, agent, async () => (await countQueuedMessages(pipeline)) === 0, 150_000, 'every message to be consumed');
    reaper.stop();
    await agent.stop();

    // assess
    const records = await store.listRuns('map', RUNS * 2, { hydrate: false });
    const lines = agent.logLines();
    const finishes = new Map<string, number>();
    for (const line of lines) if (line.msg === 'run finished') finishes.set(String(line.runId), (finishes.get(String(line.runId)) ?? 0) + 1);
    const lost = runIds.filter((id) => records.find((r) => r.runId === id)?.status !== 'SUCCEEDED').length;
    const duplicates = [...finishes.values()].filter((count) => count > 1).length;
    const duplicateDeletions = lines.filter((l) => l.msg === 'duplicate delivery of a finished run: deleting the message').length;
    const perPoint = reaper.perPoint();
    const attempts = records.reduce((sum, r) => sum + Number((r as { attempts?: number }).attempts ?? 0), 0);
    process.stdout.write(
      `kill sweep: seed ${SEED}, ${RUNS} runs, ${reaper.kills.length} kills (${KILL_POINTS.map((p) => `${p} ${perPoint[p]}`).join(', ')}), ` +
        `${agent.tasks.size} tasks started, lost ${lost}, duplicates ${duplicates}, duplicate deliveries deleted ${duplicateDeletions}, ` +
        `attempts ${attempts}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    expect(new Set(runIds).size).toBe(RUNS);
    expect(records).toHaveLength(RUNS);
    expect(lost).toBe(0);
    expect(records.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await store.listRuns('unknown', 5, { hydrate: false })).toEqual([]);
    expect(runIds.every((id) => finishes.get(id) === 1)).toBe(true);
    expect(duplicates).toBe(0);
    // Each kill between storing and deleting leaves exactly one message, deleted by its next delivery as a duplicate.
    expect(duplicateDeletions).toBe(perPoint.afterStore);
    // A kill after the claim and before the store costs one more attempt; a kill after the store costs none.
    expect(attempts).toBe(RUNS + perPoint.fetch + perPoint.run);
    for (const point of KILL_POINTS) expect(perPoint[point]).toBeGreaterThan(0);
    // Each kill landed where it says: the last step its task had logged for the run.
    const expectedSteps = { fetch: [RUN_STEPS[0]], run: [RUN_STEPS[1]], afterStore: [RUN_STEPS[2], RUN_STEPS[3]] };
    const misplaced = reaper.kills.map((k) => ({ point: k.point, last: lastStepOf(k.task) })).filter(({ point, last }) => !(expectedSteps[point] as readonly string[]).includes(last?.msg ?? ''));
    expect(misplaced).toEqual([]);
    expect(reaper.kills.every(({ task }) => task.exitCode === null && task.process.signalCode === 'SIGKILL')).toBe(true);
    expect(await countQueuedMessages(pipeline)).toBe(0);
    expect(await countDeadLettered(pipeline)).toBe(0);
  }, 180_000);
});
