import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { TABLE } from '../../workers/cloud/index.js';
import { AnnouncingFindingStore, DynamoFindingStore, FINDING_SET_SORT_KEY, FindingEventPublisher, findingPartitionKey } from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';
import { dynamoResultStore, SLACK_TOKEN, useMotoAuditFixture } from '../helpers/motoAuditFixture.js';
import { observeFindingEvents } from '../helpers/motoFindingEvents.js';
import type { TestPipeline } from '../helpers/motoPipeline.js';
import { motoClientConfig } from '../helpers/motoServer.js';

/*
 * Finding events are at least once: stored with the findings (the outbox),
 * sent after the write, cleared once EventBridge accepted them, sent again
 * after a failure. Faults are real moto behaviour: a bus that does not exist
 * yet (the whole PutEvents fails), and an entry moto refuses (MalformedDetail)
 * next to accepted ones (FailedEntryCount 1).
 */
const BUS = 'late-findings';

const fixture = useMotoAuditFixture();
const moto = fixture.moto;
let pipeline: TestPipeline;
let repo: string;
let stateDir: string;
beforeEach(() => {
  ({ pipeline, repo, stateDir } = fixture);
});

/** The task runner's wiring: findings in the table, events announced through the outbox. */
function announcingEngine(errors: unknown[]): { engine: WorkerEngine; store: AnnouncingFindingStore } {
  const documentClient = pipeline.clients.documentClient;
  const publisher = new FindingEventPublisher({ eventBridge: new EventBridgeClient(motoClientConfig(moto.endpoint)), busName: BUS });
  const store = new AnnouncingFindingStore(new DynamoFindingStore({ documentClient, tableName: pipeline.tableName }), publisher, (error) => errors.push(error));
  return { engine: new WorkerEngine({ config: parseConfig({}), store: dynamoResultStore(pipeline, ['audit']), findingStore: store, stateDir, env: { ...NO_CLAUDE_ENV } }), store };
}

const audit = (engine: WorkerEngine) => engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });

/** Finding items of demo/audit with their pending event ids. */
async function pendingByRule(): Promise<Record<string, string[]>> {
  const { Items } = await pipeline.clients.documentClient.send(
    new QueryCommand({ TableName: pipeline.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': findingPartitionKey('demo', 'audit') }, ConsistentRead: true }),
  );
  return Object.fromEntries(
    Items!.filter((item) => item[TABLE.sortKey] !== FINDING_SET_SORT_KEY).map((item) => [String(item.ruleId), Object.keys((item.pendingEvents as object | undefined) ?? {}).map((id) => id.split(':').slice(1).join(':'))]),
  );
}

describe('finding events outbox (moto)', () => {
  it('keeps the events of a run whose PutEvents failed (bus missing) with the findings, and sends them once the bus exists', async () => {
    // prepare
    const errors: unknown[] = [];
    const { engine } = announcingEngine(errors);

    // act: the bus does not exist yet
    const first = await audit(engine);
    const pendingAfterFailure = await pendingByRule();
    const events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs, BUS);
    const second = await audit(engine);
    const resent = await events.drain();
    const pendingAfterResend = await pendingByRule();
    await audit(engine);
    const afterThird = await events.drain();

    // assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', findingSummary: { new: 3 } });
    expect(first.error).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/3 of 3 finding event\(s\) of demo\/audit not sent, kept to send again: ResourceNotFoundException/);
    expect(pendingAfterFailure).toEqual({ 'aws-access-key-id': ['Finding New'], 'slack-token': ['Finding New'], 'sql-injection': ['Finding New'] });
    expect(second.findingSummary).toMatchObject({ new: 0, open: 3 });
    expect(resent.map((e) => `${e['detail-type']}:${String(e.detail.ruleId)}:${String(e.detail.state)}:${String(e.detail.latestRunId)}`).sort()).toEqual(
      ['aws-access-key-id', 'slack-token', 'sql-injection'].map((rule) => `Finding New:${rule}:new:${first.runId}`),
    );
    expect(pendingAfterResend).toEqual({ 'aws-access-key-id': [], 'slack-token': [], 'sql-injection': [] });
    expect(afterThird).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(resent)).not.toContain(SLACK_TOKEN);
  }, 120_000);

  it('clears only the entries EventBridge accepted (FailedEntryCount), and a reconcile sends what is pending', async () => {
    // prepare: a run whose events went out, then two pending events planted on two items: one moto refuses
    const errors: unknown[] = [];
    const events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs, BUS);
    const { engine, store } = announcingEngine(errors);
    await audit(engine);
    const sentFirst = await events.drain();
    const set = await store.load('demo', 'audit');
    const plant = async (ruleId: string, id: string, detail: string) => {
      const record = set.records.find((r) => r.ruleId === ruleId)!;
      await pipeline.clients.documentClient.send(
        new UpdateCommand({
          TableName: pipeline.tableName,
          Key: { pk: findingPartitionKey('demo', 'audit'), sk: record.fingerprint },
          UpdateExpression: 'SET pendingEvents.#id = :event',
          ExpressionAttributeNames: { '#id': id },
          ExpressionAttributeValues: { ':event': { detailType: 'Finding Returned', detail } },
        }),
      );
      return record;
    };
    const good = await plant('sql-injection', 'r9:Finding Returned', JSON.stringify({ ruleId: 'sql-injection', state: 'returned' }));
    await plant('slack-token', 'r9:Finding Returned', '{this is not JSON');

    // act
    const resent = await store.resendPending();
    const delivered = await events.drain();
    const pending = await pendingByRule();

    // assess
    expect(sentFirst).toHaveLength(3);
    expect(resent).toBe(1);
    expect(delivered.map((e) => `${e['detail-type']}:${String(e.detail.ruleId)}`)).toEqual([`Finding Returned:${good.ruleId}`]);
    expect(pending).toEqual({ 'aws-access-key-id': [], 'slack-token': ['Finding Returned'], 'sql-injection': [] });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/1 of 2 finding event\(s\) of demo\/audit not sent, kept to send again: MalformedDetail/);
    expect((await store.load('demo', 'audit')).records.map((r) => r.state).sort()).toEqual(['new', 'new', 'new']);
  }, 120_000);

  it('stores and sends the events of a change too large for one transaction (written under the lock), ten per PutEvents', async () => {
    // prepare
    const errors: unknown[] = [];
    const events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs, BUS);
    const { store } = announcingEngine(errors);
    const many = Array.from({ length: 105 }, (_, i) => ({
      ruleId: 'hardcoded-secret', severity: 'high' as const, file: `src/f${i}.ts`, line: 1, message: 'secret', fingerprint: i.toString(16).padStart(20, '0'),
      target: 'demo', worker: 'audit', state: 'new' as const, detectedBy: 'local' as const, firstSeen: '2026-11-25T00:00:00.000Z', lastSeen: '2026-11-25T00:00:00.000Z', runCount: 1, latestRunId: 'r1',
    }));

    // act
    await store.update('demo', 'audit', (current) => ({ ...current, lastRunId: 'r1', records: many }));
    const delivered = await events.drain();

    // assess
    expect(errors).toEqual([]);
    expect(new Set(delivered.map((e) => String(e.detail.fingerprint))).size).toBe(105);
    expect(Object.values(await pendingByRule()).flat()).toEqual([]);
  }, 120_000);
});
