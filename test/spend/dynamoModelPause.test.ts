import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoModelPause } from '../../workers/cloudRuntime/index.js';
import { AtomicDynamoProxy } from '../helpers/atomicDynamoProxy.js';
import { createResultsTable } from '../helpers/motoResultsTable.js';
import { useMotoServer } from '../helpers/motoServer.js';

// The deployment's model pause against moto's DynamoDB, through the proxy that makes each
// item write atomic as DynamoDB does (see AtomicDynamoProxy). Each "task" has its own client.

let proxy: AtomicDynamoProxy | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await proxy?.stop();
    proxy = undefined;
  },
});
const T0 = Date.parse('2026-12-05T10:00:00Z');

async function tasks(count: number, now: () => Date) {
  proxy = await AtomicDynamoProxy.start(moto.endpoint);
  const { tableName, client } = await createResultsTable(proxy.endpoint);
  const reader = client();
  return {
    pauses: Array.from({ length: count }, () => new DynamoModelPause({ documentClient: client(), tableName, now })),
    item: async () => (await reader.send(new GetCommand({ TableName: tableName, Key: { pk: 'PAUSE#model', sk: 'PAUSE' }, ConsistentRead: true }))).Item,
  };
}

describe('DynamoModelPause (moto DynamoDB)', () => {
  it('a 429 seen by one task pauses every task until its retry-after', async () => {
    // prepare
    let nowMs = T0;
    const { pauses: [seenBy, other], item } = await tasks(2, () => new Date(nowMs));

    // act
    const before = await other!.currentPause();
    await seenBy!.pauseFor(90_000, 'rate limited (429)');
    const during = await other!.currentPause();
    nowMs = T0 + 90_000;
    const after = await other!.currentPause();

    // assess
    expect(before).toBeNull();
    expect(during).toEqual({ pausedUntil: new Date(T0 + 90_000), reason: 'rate limited (429) (retry-after 90 s)' });
    expect(after).toBeNull();
    expect(await item()).toMatchObject({ pausedUntil: '2026-12-05T10:01:30.000Z', consecutive: 1, expiresAt: Math.floor((T0 + 90_000) / 1000) + 86_400 });
  });

  it('four tasks reporting a rate limit at once climb the backoff one step, not four', async () => {
    // prepare
    const { pauses } = await tasks(4, () => new Date(T0));

    // act
    await Promise.all(pauses.map((pause) => pause.pauseFor(undefined, 'rate limited (429)')));

    // assess
    expect(await pauses[0]!.currentPause()).toEqual({ pausedUntil: new Date(T0 + 60_000), reason: 'rate limited (429) (backoff 60 s after 1 in a row)' });
  });

  it('backs off further after each pause ends in another rate limit; a success resets the step but keeps the pause in force', async () => {
    // prepare
    let nowMs = T0;
    const { pauses: [first, second], item } = await tasks(2, () => new Date(nowMs));

    // act
    await first!.pauseFor();
    nowMs = T0 + 60_000;
    const secondStep = await second!.pauseFor();
    await first!.recordSuccess();
    const stillPaused = await second!.currentPause();

    // assess
    expect(secondStep.pausedUntil).toEqual(new Date(T0 + 60_000 + 120_000));
    expect(stillPaused?.pausedUntil).toEqual(secondStep.pausedUntil);
    expect(await item()).toMatchObject({ consecutive: 0 });
  });
});
