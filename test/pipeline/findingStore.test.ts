import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { TABLE } from '../../workers/cloud/index.js';
import {
  AnnouncingFindingStore,
  DynamoFindingStore,
  DynamoResultStore,
  FINDING_SET_SORT_KEY,
  FindingEventPublisher,
  findingPartitionKey,
} from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { FindingRecord, FindingSet } from '../../workers/findings/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { observeFindingEvents, type FindingEventsObserver } from '../helpers/motoFindingEvents.js';
import { AtomicDynamoProxy } from '../helpers/atomicDynamoProxy.js';
import { awsTestClients, createTestPipeline, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

const SLACK = 'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F';
const GITHUB = 'ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8';
const CONFIG = ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", `export const slack = '${SLACK}';`, ''].join('\n');
const DB = ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n');

let pipeline: TestPipeline;
let repo: string;
let stateDir: string;
const moto = useMotoServer({
  beforeReset: async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  },
});

beforeEach(async () => {
  pipeline = await createTestPipeline(moto.endpoint, { profiles: ['local'] });
  repo = await makeRepo({ 'src/config.ts': CONFIG, 'src/db.ts': DB });
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'hw-findings-state-'));
});

function findingStore(options: Partial<ConstructorParameters<typeof DynamoFindingStore>[0]> = {}): DynamoFindingStore {
  return new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName, ...options });
}

function engineWith(store: DynamoFindingStore | AnnouncingFindingStore, suppressions: string[] = []): WorkerEngine {
  const results = new DynamoResultStore({
    documentClient: pipeline.clients.documentClient,
    s3: pipeline.clients.s3,
    tableName: pipeline.tableName,
    bucketName: pipeline.bucketName,
    s3ThresholdBytes: 65_536,
    workers: ['audit'],
  });
  return new WorkerEngine({ config: parseConfig({ suppressions }), store: results, findingStore: store, stateDir, env: { ...NO_CLAUDE_ENV } });
}

const audit = (engine: WorkerEngine) => engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });
const byState = (records: readonly FindingRecord[], state: string) => records.filter((r) => r.state === state).map((r) => `${r.ruleId}@${r.file}`).sort();

function record(fingerprint: string, overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    ruleId: 'hardcoded-secret',
    severity: 'high',
    file: 'src/a.ts',
    line: 1,
    message: 'secret',
    fingerprint,
    target: 'demo',
    worker: 'audit',
    state: 'new',
    detectedBy: 'local',
    firstSeen: '2026-11-25T00:00:00.000Z',
    lastSeen: '2026-11-25T00:00:00.000Z',
    runCount: 1,
    latestRunId: 'r1',
    ...overrides,
  };
}
const fingerprint = (n: number) => n.toString(16).padStart(20, '0');

describe('DynamoFindingStore (moto)', () => {
  it('tracks new → open → fixed → returned across real audit runs, in one partition with a meta item and no expiresAt', async () => {
    // prepare
    const store = findingStore();
    const engine = engineWith(store);

    // act
    const first = await audit(engine);
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG.split('\n').filter((line) => !line.includes('xoxb')).join('\n'));
    await writeFile(path.join(repo, 'src/more.ts'), `export const gh = "${GITHUB}";\n`);
    await writeFile(path.join(repo, 'src/db.ts'), `// moved down by a comment\n\n${DB}`);
    const second = await audit(engine);
    const afterSecond = await store.load('demo', 'audit');
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG);
    const third = await audit(engine);
    const afterThird = await store.load('demo', 'audit');

    // assess
    expect(first.findingSummary).toEqual({ new: 3, returned: 0, fixed: 0, open: 0, suppressed: 0 });
    expect(second.findingSummary).toEqual({ new: 1, returned: 0, fixed: 1, open: 2, suppressed: 0 });
    expect(byState(afterSecond.records, 'new')).toEqual(['github-pat@src/more.ts']);
    expect(byState(afterSecond.records, 'fixed')).toEqual(['slack-token@src/config.ts']);
    expect(byState(afterSecond.records, 'open')).toEqual(['aws-access-key-id@src/config.ts', 'sql-injection@src/db.ts']);
    expect(afterSecond.lastRunId).toBe(second.runId);
    expect(third.findingSummary).toMatchObject({ returned: 1, fixed: 0 });
    expect(byState(afterThird.records, 'returned')).toEqual(['slack-token@src/config.ts']);
    expect(afterThird.records.find((r) => r.ruleId === 'slack-token')).toMatchObject({ runCount: 2, firstSeen: afterSecond.records.find((r) => r.ruleId === 'slack-token')!.firstSeen });

    const { Items } = await pipeline.clients.documentClient.send(
      new QueryCommand({ TableName: pipeline.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': findingPartitionKey('demo', 'audit') } }),
    );
    expect(Items!.filter((i) => i[TABLE.sortKey] === FINDING_SET_SORT_KEY)).toEqual([expect.objectContaining({ lastRunId: third.runId, version: 3 })]);
    expect(Items!.filter((i) => i[TABLE.sortKey] !== FINDING_SET_SORT_KEY)).toHaveLength(4);
    expect(Items!.every((i) => i.expiresAt === undefined)).toBe(true);
    expect(JSON.stringify(Items)).not.toContain(GITHUB);
  });

  it('applies a duplicate delivery of a run once', async () => {
    // prepare
    const store = findingStore();
    const engine = engineWith(store);
    const first = await audit(engine);

    // act
    const again = await engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local', runId: first.runId });

    // assess
    expect(again.findingSummary).toEqual(first.findingSummary);
    expect((await store.load('demo', 'audit')).records.every((r) => r.runCount === 1)).toBe(true);
  });

  it('keeps both changes when two writers update one set at the same time (version check and retry)', async () => {
    // prepare: DynamoDB applies each conditional write atomically; moto does not (see AtomicDynamoProxy), so the
    // writers go through the proxy, still concurrently, and the version check is what keeps both changes.
    const proxy = await AtomicDynamoProxy.start(moto.endpoint);
    onTestFinished(() => proxy.stop());
    const documentClient = awsTestClients(proxy.endpoint).documentClient;
    const store = findingStore({ documentClient });
    const other = findingStore({ documentClient });
    const add = (fp: string) => (current: FindingSet): FindingSet => ({ ...current, lastRunId: fp, records: [...current.records, record(fp)] });

    // act
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => store.update('demo', 'audit', add(fingerprint(i)))),
      ...Array.from({ length: 4 }, (_, i) => other.update('demo', 'audit', add(fingerprint(100 + i)))),
    ]);

    // assess
    const set = await store.load('demo', 'audit');
    expect(set.records.map((r) => r.fingerprint).sort()).toEqual([0, 1, 2, 3, 100, 101, 102, 103].map(fingerprint));
    const { Item } = await pipeline.clients.documentClient.send(new GetCommand({ TableName: pipeline.tableName, Key: { pk: findingPartitionKey('demo', 'audit'), sk: FINDING_SET_SORT_KEY } }));
    expect(Item?.version).toBe(8);
  });

  it('writes a change of more than one transaction under a lock, then releases it with lastRunId', async () => {
    // prepare
    const store = findingStore();
    const many = Array.from({ length: 150 }, (_, i) => record(fingerprint(i), { line: i + 1 }));

    // act
    await store.update('demo', 'audit', (current) => ({ ...current, lastRunId: 'r1', records: many }));
    await store.update('demo', 'audit', (current) => ({ ...current, lastRunId: 'r2', records: current.records.map((r) => ({ ...r, state: 'open' as const, latestRunId: 'r2' })) }));

    // assess
    const set = await store.load('demo', 'audit');
    expect(set.lastRunId).toBe('r2');
    expect(set.records).toHaveLength(150);
    expect(set.records.every((r) => r.state === 'open')).toBe(true);
    const { Item } = await pipeline.clients.documentClient.send(new GetCommand({ TableName: pipeline.tableName, Key: { pk: findingPartitionKey('demo', 'audit'), sk: FINDING_SET_SORT_KEY } }));
    expect(Item).toMatchObject({ version: 4, lastRunId: 'r2' });
    expect(Item?.lockOwner).toBeUndefined();
  });

  it('waits for a live lock of another writer and takes over one that lapsed', async () => {
    // prepare
    let now = new Date('2026-11-25T16:00:00Z');
    const clock = () => now;
    const waits: number[] = [];
    const store = findingStore({ clock, lockMs: 60_000, sleep: async (ms) => { waits.push(ms); now = new Date(now.getTime() + 30_000); } });
    await store.update('demo', 'audit', (c) => ({ ...c, lastRunId: 'r1', records: [record(fingerprint(1))] }));
    const metaKey = { pk: findingPartitionKey('demo', 'audit'), sk: FINDING_SET_SORT_KEY };
    const { Item } = await pipeline.clients.documentClient.send(new GetCommand({ TableName: pipeline.tableName, Key: metaKey }));
    await pipeline.clients.documentClient.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({ TableName: pipeline.tableName, Item: { ...Item, version: 2, lockOwner: 'a-dead-task', lockUntil: now.getTime() + 45_000 } }),
    );

    // act
    const set = await store.update('demo', 'audit', (c) => ({ ...c, lastRunId: 'r2', records: [...c.records, record(fingerprint(2))] }));

    // assess
    expect(waits.length).toBeGreaterThan(0);
    expect(set.records).toHaveLength(2);
    expect(await store.load('demo', 'audit')).toMatchObject({ lastRunId: 'r2' });
  });

  it('lists sets across targets and workers with one index query, filtered by target or worker', async () => {
    // prepare
    const store = findingStore();
    for (const [target, worker] of [['demo', 'audit'], ['demo', 'predict'], ['api', 'audit']] as const) {
      await store.update(target, worker, (c) => ({ ...c, lastRunId: 'r1', records: [record(fingerprint(1), { target, worker })] }));
    }

    // act
    const all = await store.list();
    const demo = await store.list({ target: 'demo' });
    const audits = await store.list({ worker: 'audit' });

    // assess
    expect(all.map((s) => `${s.target}/${s.worker}`).sort()).toEqual(['api/audit', 'demo/audit', 'demo/predict']);
    expect(demo.map((s) => `${s.target}/${s.worker}`).sort()).toEqual(['demo/audit', 'demo/predict']);
    expect(audits.map((s) => `${s.target}/${s.worker}`).sort()).toEqual(['api/audit', 'demo/audit']);
    expect(await store.load('nothing', 'audit')).toEqual({ target: 'nothing', worker: 'audit', lastRunId: null, records: [] });
  });
});

describe('finding events on EventBridge (moto)', () => {
  let events: FindingEventsObserver;
  beforeEach(async () => {
    events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs);
  });

  function announcing(errors: unknown[] = []): AnnouncingFindingStore {
    return new AnnouncingFindingStore(findingStore(), new FindingEventPublisher({ eventBridge: events.eventBridge, busName: events.busName }), (e) => errors.push(e));
  }

  it('puts one "Finding New" per new finding and one "Finding Returned" per returned one, masked, and nothing for open or fixed ones', async () => {
    // prepare
    const engine = engineWith(announcing());

    // act
    await audit(engine);
    const firstEvents = await events.drain();
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG.split('\n').filter((line) => !line.includes('xoxb')).join('\n'));
    await writeFile(path.join(repo, 'src/more.ts'), `export const gh = "${GITHUB}";\n`);
    await audit(engine);
    const secondEvents = await events.drain();
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG);
    await audit(engine);
    const thirdEvents = await events.drain();

    // assess
    const summary = (list: typeof firstEvents) => list.map((e) => `${e['detail-type']}:${String(e.detail.ruleId)}`).sort();
    expect(summary(firstEvents)).toEqual(['Finding New:aws-access-key-id', 'Finding New:slack-token', 'Finding New:sql-injection']);
    expect(summary(secondEvents)).toEqual(['Finding New:github-pat']);
    expect(summary(thirdEvents)).toEqual(['Finding Returned:slack-token']);
    expect(firstEvents.every((e) => e.source === 'headless-workers')).toBe(true);
    expect(firstEvents.find((e) => e.detail.ruleId === 'slack-token')?.detail).toMatchObject({ target: 'demo', worker: 'audit', state: 'new', file: 'src/config.ts', fingerprint: expect.stringMatching(/^[0-9a-f]{20}$/) });
    const text = JSON.stringify([...firstEvents, ...secondEvents, ...thirdEvents]);
    for (const secret of [SLACK, GITHUB, 'AKIAQ3EGRJ7XWY5NZ2VB']) expect(text).not.toContain(secret);
  });

  it('sends nothing for a suppressed finding', async () => {
    // prepare
    const engine = engineWith(announcing(), ['*:src/config.ts accepted test keys']);

    // act
    const run = await audit(engine);

    // assess
    expect(run.findingSummary).toMatchObject({ new: 1, suppressed: 2 });
    expect((await events.drain()).map((e) => `${e['detail-type']}:${String(e.detail.ruleId)}`)).toEqual(['Finding New:sql-injection']);
  });

  it('batches PutEvents by ten', async () => {
    // prepare
    const batches: number[] = [];
    const publisher = new FindingEventPublisher({ eventBridge: events.eventBridge, busName: events.busName });
    const counting = { publish: (records: readonly FindingRecord[]) => publisher.publish(records) };
    const send = events.eventBridge.send.bind(events.eventBridge);
    events.eventBridge.send = ((command: { input: { Entries?: unknown[] } }) => {
      batches.push(command.input.Entries?.length ?? 0);
      return send(command as never);
    }) as typeof events.eventBridge.send;
    const store = new AnnouncingFindingStore(findingStore(), counting, (e) => { throw e; });
    const many = Array.from({ length: 23 }, (_, i) => record(fingerprint(i), { line: i + 1, latestRunId: 'r1' }));

    // act
    await store.update('demo', 'audit', (c) => ({ ...c, lastRunId: 'r1', records: many }));

    // assess
    expect(batches).toEqual([10, 10, 3]);
    expect(await events.drain()).toHaveLength(23);
  });

  it('keeps the findings and reports the error when the bus does not exist', async () => {
    // prepare
    const errors: unknown[] = [];
    const store = new AnnouncingFindingStore(findingStore(), new FindingEventPublisher({ eventBridge: events.eventBridge, busName: 'no-such-bus' }), (e) => errors.push(e));
    const engine = engineWith(store);

    // act
    const run = await audit(engine);

    // assess
    expect(run.findingSummary).toMatchObject({ new: 3 });
    expect(run.error).toBeUndefined();
    expect((await store.load('demo', 'audit')).records).toHaveLength(3);
    expect(errors).toHaveLength(1);
  });
});
