import { describe, expect, it } from 'vitest';
import { readDispatcherSettings } from '../../functions/dispatcher/dispatcherSettings.js';
import { startTasks } from '../../functions/dispatcher/startTasks.js';
import { ENV } from '../../workers/cloud/index.js';
import { createJsonLogger, DynamoFindingStore, isFinalRun, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { AUDIT_CONFIG_FILE, AUDIT_DB_FILE, dynamoResultStore } from '../helpers/motoAuditFixture.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { AWS_FAULTS, type FaultAction, type FaultProxy, type ProxiedCall } from '../helpers/faultProxy.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import type { FargateAgent } from '../helpers/motoFargateAgent.js';
import { observeFindingEvents, type FindingEventsObserver } from '../helpers/motoFindingEvents.js';
import { createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';

const faults = useFaultInjection();

/** The runners' SDK user agent carries this app id: the outages hit their calls only. */
const RUNNER = 'runner';
const TRACKING_RETRY = 'tracking findings was refused; retrying';
const isRunnerCall = (operation: string) => (call: ProxiedCall) => call.client === RUNNER && call.operation === operation;
/** EventBridge failing inside (HTTP 500), as its JSON protocol answers. */
const eventBridgeInternalError = (): FaultAction => ({
  kind: 'fault',
  name: 'InternalException',
  status: 500,
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify({ __type: 'InternalException', message: 'Internal service error' }),
});

interface Setup {
  readonly proxy: FaultProxy;
  readonly pipeline: TestPipeline;
  readonly agent: FargateAgent;
  readonly events: FindingEventsObserver;
}

/** A strict-profile pipeline whose runners (no Claude Code: audit's local analysis, three findings) announce findings on a bus. */
async function auditPipeline(): Promise<Setup> {
  const proxy = await faults.startProxy();
  const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['strict'] });
  const events = await observeFindingEvents(proxy.endpoint, pipeline.clients.sqs);
  await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/config.ts': AUDIT_CONFIG_FILE, 'src/db.ts': AUDIT_DB_FILE }));
  const agent = await faults.startAgent(pipeline, {
    extraEnv: () => ({ AWS_SDK_UA_APP_ID: RUNNER, HW_CLAUDE_BIN: '/nonexistent/claude', HW_STORE_RETRY_SECONDS: '60', [ENV.findingsEventBus]: events.busName }),
  });
  return { proxy, pipeline, agent, events };
}

async function runAudit({ pipeline, agent }: Setup, requestId: string): Promise<CloudRunResult> {
  const { runIds } = (await pipeline.dispatch({ worker: 'audit', target: 'demo' }, { awsRequestId: requestId })) as DispatchResponse;
  await agent.waitForRunFinished(runIds[0]!, 90_000);
  const run = await dynamoResultStore(pipeline, ['audit']).getRun(runIds[0]!, { consistent: true });
  if (!run || !isFinalRun(run)) throw new Error(`run ${runIds[0]} is ${run?.status}`);
  return run;
}

describe('tracked findings while DynamoDB or EventBridge refuse', { timeout: 150_000 }, () => {
  it('DynamoDB throttling the findings write for a while: retried with the results\' backoff, and the run records its findings', async () => {
    // prepare: the runner's finding-set transactions are refused until it has backed off twice
    const setup = await auditPipeline();
    const outage = setup.proxy.outage({ matches: isRunnerCall('TransactWriteItems'), fault: () => AWS_FAULTS.dynamoThrottled() });
    const ended = setup.agent.waitFor(() => setup.agent.logLines().filter((l) => l.msg === TRACKING_RETRY).length >= 2, 90_000, 'two retries of the findings write').then(() => outage.end());

    // act
    const run = await runAudit(setup, 'findings-throttled');
    await ended;

    // assess
    const retries = setup.agent.logLines().filter((l) => l.msg === TRACKING_RETRY);
    const set = await new DynamoFindingStore({ documentClient: setup.pipeline.clients.documentClient, tableName: setup.pipeline.tableName }).load('demo', 'audit');
    process.stdout.write(`finding faults (DynamoDB): ${outage.refused.length} findings writes refused, ${retries.length} retries after backoff, findings tracked: ${JSON.stringify(run.findingSummary)}\n`);
    expect(run).toMatchObject({ status: 'SUCCEEDED', findingSummary: { new: 3, returned: 0, fixed: 0 } });
    expect(run.error).toBeUndefined();
    expect(retries.map((l) => l.tries)).toEqual(retries.map((_, i) => i + 1));
    expect(retries[0]).toMatchObject({ target: 'demo', worker: 'audit' });
    expect(outage.refused.length).toBeGreaterThanOrEqual(2);
    expect(set.lastRunId).toBe(run.runId);
    expect(await setup.events.drain(2_000)).toHaveLength(3);
  });

  it('EventBridge failing during a run: the events stay pending with the findings, and the next task sends them as it starts', async () => {
    // prepare: every PutEvents of the runner fails during the first run
    const setup = await auditPipeline();
    const outage = setup.proxy.outage({ matches: isRunnerCall('PutEvents'), fault: eventBridgeInternalError });

    // act: the run, then its task goes idle; later a task starts with no run of demo/audit to do
    const run = await runAudit(setup, 'events-refused');
    const duringOutage = await setup.events.drain(1_000);
    await setup.agent.waitUntilIdle(30_000);
    outage.end();
    const quiet = createJsonLogger({ write: () => undefined });
    await startTasks({ profile: 'strict', target: 'demo', count: 1, reason: 'test: next task' }, { ecs: setup.pipeline.clients.ecs, settings: readDispatcherSettings(setup.pipeline.dispatcherEnv), sleep: async () => undefined, log: quiet });
    const resent = await setup.agent.waitFor(() => setup.agent.logLines().find((l) => l.msg === 'pending finding events sent'), 60_000, 'the next task to send the pending events');
    const delivered = await setup.events.drain(2_000);

    // assess
    const outbox = new DynamoFindingStore({ documentClient: setup.pipeline.clients.documentClient, tableName: setup.pipeline.tableName });
    process.stdout.write(`finding faults (EventBridge): ${outage.refused.length} PutEvents refused during the run, ${String(resent.sent)} events sent by the next task at its start\n`);
    expect(run).toMatchObject({ status: 'SUCCEEDED', findingSummary: { new: 3 } });
    expect(outage.refused.length).toBeGreaterThanOrEqual(1);
    expect(setup.agent.logLines().some((l) => l.msg === 'finding events were not sent')).toBe(true);
    expect(duringOutage).toEqual([]);
    expect(resent).toMatchObject({ sent: 3 });
    expect(delivered.map((e) => e['detail-type'])).toEqual(['Finding New', 'Finding New', 'Finding New']);
    expect(delivered.map((e) => e.detail.latestRunId)).toEqual([run.runId, run.runId, run.runId]);
    expect(await outbox.pendingEvents('demo', 'audit')).toEqual([]);
  });
});
