import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AnnouncingFindingStore, DynamoFindingStore, FindingEventPublisher } from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { dynamoResultStore } from '../helpers/motoAuditFixture.js';
import { observeFindingEvents, type FindingEventsObserver } from '../helpers/motoFindingEvents.js';
import { createTestPipeline, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';
import { LEARN_FIRST, LEARN_SECOND, PREDICT_FIRST, PREDICT_REPO, PREDICT_SECOND } from '../helpers/predictLearnOutputs.js';

/*
 * predict and ultralearn through the real Claude Code CLI (fake model API):
 * their answers become tracked findings in DynamoDB (moto) with events on the
 * bus, as audit findings do.
 */
let bed: ClaudeTestBed;
let server: FakeModelServer;
let pipeline: TestPipeline;
let events: FindingEventsObserver;
let answer: unknown;
const moto = useMotoServer({
  beforeReset: async () => {
    await server?.close();
    await bed?.cleanup();
  },
});

beforeEach(async () => {
  bed = await createClaudeTestBed(PREDICT_REPO);
  server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: answer }) });
  pipeline = await createTestPipeline(moto.endpoint, { profiles: ['strict'] });
  events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs);
});

function engine(): { engine: WorkerEngine; findings: DynamoFindingStore } {
  const findings = new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName });
  const results = dynamoResultStore(pipeline, ['predict', 'ultralearn']);
  const announcing = new AnnouncingFindingStore(findings, new FindingEventPublisher({ eventBridge: events.eventBridge, busName: events.busName }), (error) => {
    throw error;
  });
  const e = new WorkerEngine({ config: parseConfig({}), store: results, findingStore: announcing, stateDir: path.join(bed.root, 'state'), env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
  return { engine: e, findings };
}

const eventSummary = (list: Awaited<ReturnType<FindingEventsObserver['drain']>>) => list.map((e) => `${e['detail-type']}:${String(e.detail.file)}`).sort();

describe('predict and ultralearn findings (real Claude Code, fake model, moto)', () => {
  it('predict: reworded hot spots keep their fingerprints after lines moved; the second run says 1 new, 1 fixed, 2 open', async () => {
    // prepare
    const { engine: e, findings } = engine();
    answer = PREDICT_FIRST;

    // act
    const first = await e.run({ worker: 'predict', repoDir: bed.workspace, target: 'shop', mode: 'headless' });
    const firstEvents = await events.drain();
    const afterFirst = await findings.load('shop', 'predict');
    const retry = path.join(bed.workspace, 'src/payments/retry.ts');
    await writeFile(retry, `// moved down by a header\n\n${await readFile(retry, 'utf8')}`);
    answer = PREDICT_SECOND;
    const second = await e.run({ worker: 'predict', repoDir: bed.workspace, target: 'shop', mode: 'headless' });
    const secondEvents = await events.drain();
    const afterSecond = await findings.load('shop', 'predict');

    // assess
    expect(first).toMatchObject({ mode: 'headless', status: 'SUCCEEDED', findingSummary: { new: 3, fixed: 0 } });
    expect(second.findingSummary).toEqual({ new: 1, returned: 0, fixed: 1, open: 2, suppressed: 0 });
    const fingerprintOf = (set: typeof afterFirst, file: string) => set.records.find((r) => r.file === file)?.fingerprint;
    expect(fingerprintOf(afterSecond, 'src/payments/retry.ts')).toBe(fingerprintOf(afterFirst, 'src/payments/retry.ts'));
    expect(afterSecond.records.map((r) => `${r.state}:${r.file}`).sort()).toEqual(['fixed:src/auth/session.ts', 'new:src/reports/export.ts', 'open:src/payments/client.ts', 'open:src/payments/retry.ts']);
    expect(eventSummary(firstEvents)).toEqual(['Finding New:src/auth/session.ts', 'Finding New:src/payments/client.ts', 'Finding New:src/payments/retry.ts']);
    expect(eventSummary(secondEvents)).toEqual(['Finding New:src/reports/export.ts']);
  }, 180_000);

  it('ultralearn: reworded conventions and terms stay open; a convention no longer observed is fixed', async () => {
    // prepare
    const { engine: e, findings } = engine();
    answer = LEARN_FIRST;

    // act
    const first = await e.run({ worker: 'ultralearn', repoDir: bed.workspace, target: 'shop', mode: 'headless' });
    const firstEvents = await events.drain();
    answer = LEARN_SECOND;
    const second = await e.run({ worker: 'ultralearn', repoDir: bed.workspace, target: 'shop', mode: 'headless' });
    const secondEvents = await events.drain();

    // assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'full' }, findingSummary: { new: 5 } });
    expect(second.findingSummary).toEqual({ new: 0, returned: 0, fixed: 1, open: 4, suppressed: 0 });
    const set = await findings.load('shop', 'ultralearn');
    expect(set.records.filter((r) => r.state === 'fixed').map((r) => r.message)).toEqual(['Logging: Structured JSON logs through one logger']);
    expect(set.records.find((r) => r.message.startsWith('Error-handling style'))).toMatchObject({ state: 'open', runCount: 2, ruleId: 'learned-convention' });
    expect(firstEvents.map((e) => e['detail-type'])).toEqual(Array(5).fill('Finding New'));
    expect(secondEvents).toEqual([]);
  }, 180_000);
});
