import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSpendLedger } from '../../workers/cloudRuntime/index.js';
import { AtomicDynamoProxy } from '../helpers/atomicDynamoProxy.js';
import { createResultsTable } from '../helpers/motoResultsTable.js';
import { useMotoServer } from '../helpers/motoServer.js';

// The deployment's ledger against moto's DynamoDB: conditional updates are emulated there, but
// moto applies concurrent UpdateItems without a lock, so the clients reach it through a proxy
// that hands it one DynamoDB call at a time (single-item atomicity, as DynamoDB gives). TTL
// deletion is not emulated, and nothing here relies on it.

let proxy: AtomicDynamoProxy | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await proxy?.stop();
    proxy = undefined;
  },
});
const usage = (input: number, costUsd: number) => ({ tokens: { input, output: 0, cacheRead: 0, cacheCreation: 0 }, costUsd });

/** A clock the test moves by hand. */
function fakeClock(iso: string): { now: () => Date; set: (next: string) => void } {
  let current = new Date(iso);
  return { now: () => current, set: (next) => (current = new Date(next)) };
}

/** `count` ledgers over one table, each with its own client, as `count` Fargate tasks hold them. */
async function ledgers(count: number, now: () => Date): Promise<{ ledgers: DynamoSpendLedger[]; tableName: string; read: (pk: string, sk: string) => Promise<Record<string, unknown> | undefined> }> {
  proxy = await AtomicDynamoProxy.start(moto.endpoint);
  const { tableName, client } = await createResultsTable(proxy.endpoint);
  const reader = client();
  return {
    ledgers: Array.from({ length: count }, () => new DynamoSpendLedger({ documentClient: client(), tableName, now })),
    tableName,
    read: async (pk, sk) => (await reader.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item,
  };
}

describe('DynamoSpendLedger (moto DynamoDB)', () => {
  it('four tasks reserving at once against a cap of three budgets: exactly three get a reservation', async () => {
    // prepare
    const clock = fakeClock('2026-12-05T10:15:00Z');
    const { ledgers: tasks } = await ledgers(4, clock.now);

    // act
    const reservations = await Promise.all(tasks.map((ledger, i) => ledger.reserve({ dailyUsd: 1.5 }, { id: `run-${i}`, budgetUsd: 0.5 })));

    // assess
    expect(reservations.filter((r) => r.allowed)).toHaveLength(3);
    expect(reservations.find((r) => !r.allowed)).toMatchObject({
      reason: expect.stringMatching(/^daily spend cap reached: \$1\.50 \(of which \$1\.50 reserved by runs in progress\) of \$1\.50 \(set limits\.dailyUsd/),
      retryAt: new Date('2026-12-06T00:00:00Z'),
    });
    expect(await tasks[0]!.summary()).toMatchObject({ day: '2026-12-05', costUsd: 0, reservedUsd: 1.5, launches: 3, runs: 0 });
  });

  it('settles to the measured cost once, which frees the rest of the budget for the next run', async () => {
    // prepare
    const clock = fakeClock('2026-12-05T10:15:00Z');
    const { ledgers: [ledger] } = await ledgers(1, clock.now);
    const first = await ledger!.reserve({ dailyUsd: 1 }, { id: 'a', budgetUsd: 0.5 });
    await ledger!.reserve({ dailyUsd: 1 }, { id: 'b', budgetUsd: 0.5 });
    const full = await ledger!.reserve({ dailyUsd: 1 }, { id: 'c', budgetUsd: 0.5 });
    if (!first.allowed) throw new Error('the first reservation must fit');

    // act
    await ledger!.settle(first, { tokens: { input: 100, output: 20, cacheRead: 5, cacheCreation: 1 }, costUsd: 0.02 });
    await ledger!.settle(first, { tokens: { input: 100, output: 20, cacheRead: 5, cacheCreation: 1 }, costUsd: 0.02 });
    const afterSettle = await ledger!.reserve({ dailyUsd: 1 }, { id: 'd', budgetUsd: 0.48 });
    const overTheTop = await ledger!.reserve({ dailyUsd: 1 }, { id: 'e', budgetUsd: 0.01 });

    // assess
    expect(full).toMatchObject({ allowed: false, reason: expect.stringContaining('daily spend cap reached') });
    expect(afterSettle.allowed).toBe(true);
    expect(overTheTop.allowed).toBe(false);
    expect(await ledger!.summary()).toEqual({
      day: '2026-12-05',
      tokens: { input: 100, output: 20, cacheRead: 5, cacheCreation: 1 },
      totalTokens: 126,
      costUsd: 0.02,
      reservedUsd: 0.98,
      runs: 1,
      launches: 3,
    });
  });

  it('a run that cost more than its budget may pass the cap by its overshoot, and then nothing more starts today', async () => {
    // prepare
    const clock = fakeClock('2026-12-05T10:15:00Z');
    const { ledgers: [ledger] } = await ledgers(1, clock.now);
    const reservation = await ledger!.reserve({ dailyUsd: 1 }, { id: 'a', budgetUsd: 1 });
    if (!reservation.allowed) throw new Error('the reservation must fit');

    // act
    await ledger!.settle(reservation, usage(10, 1.07));
    const next = await ledger!.reserve({ dailyUsd: 1 }, { id: 'b', budgetUsd: 0.1 });
    const check = await ledger!.check({ dailyUsd: 1 });

    // assess
    expect(next).toMatchObject({ allowed: false, reason: 'daily spend cap reached: $1.07 of $1.00 (set limits.dailyUsd to raise it)' });
    expect(check).toEqual(next);
    expect((await ledger!.summary()).costUsd).toBe(1.07);
  });

  it('refuses a budget larger than the whole cap without writing anything', async () => {
    // prepare
    const { ledgers: [ledger], read } = await ledgers(1, fakeClock('2026-12-05T10:15:00Z').now);

    // act
    const verdict = await ledger!.reserve({ dailyUsd: 2 }, { id: 'deepdive', budgetUsd: 8 });

    // assess
    expect(verdict).toMatchObject({ allowed: false, reason: expect.stringContaining('this run may spend up to $8.00 (its maxBudgetUsd) and only $2.00 of $2.00 is left today') });
    expect(await read('SPEND#2026-12-05', 'DAY')).toBeUndefined();
  });

  it('counts launches per UTC hour; a launch refused by the hour holds no budget on the day', async () => {
    // prepare
    const clock = fakeClock('2026-12-05T10:15:00Z');
    const { ledgers: [ledger], read } = await ledgers(1, clock.now);
    const limits = { dailyUsd: 10, launchesPerHour: 2 };

    // act
    const inHour = [];
    for (const id of ['a', 'b', 'c']) inHour.push(await ledger!.reserve(limits, { id, budgetUsd: 0.5 }));
    clock.set('2026-12-05T11:00:00Z');
    const nextHour = await ledger!.reserve(limits, { id: 'd', budgetUsd: 0.5 });

    // assess
    expect(inHour.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(inHour[2]).toMatchObject({ reason: 'hourly launch cap reached: 2 of 2 launches this hour (set limits.launchesPerHour to raise it)', retryAt: new Date('2026-12-05T11:00:00Z') });
    expect(nextHour.allowed).toBe(true);
    expect(await read('SPEND#2026-12-05T10', 'HOUR')).toMatchObject({ launches: 2 });
    expect(await read('SPEND#2026-12-05', 'DAY')).toMatchObject({ reservedUsd: 1.5, committedUsd: 1.5, launches: 3 });
  });

  it('refuses at the daily token cap, counting every kind of token', async () => {
    // prepare
    const { ledgers: [ledger] } = await ledgers(1, fakeClock('2026-12-05T08:00:00Z').now);
    const first = await ledger!.reserve({ dailyTokens: 1_000 }, { id: 'a', budgetUsd: 0.1 });
    if (!first.allowed) throw new Error('the first reservation must fit');
    await ledger!.settle(first, { tokens: { input: 400, output: 100, cacheRead: 450, cacheCreation: 50 }, costUsd: 0.01 });

    // act
    const verdict = await ledger!.reserve({ dailyTokens: 1_000 }, { id: 'b', budgetUsd: 0.1 });

    // assess
    expect(verdict).toMatchObject({ allowed: false, reason: 'daily token cap reached: 1,000 of 1,000 tokens (set limits.dailyTokens to raise it)' });
  });

  it('keeps each UTC day in its own item, with a TTL, in the SPEND# key family', async () => {
    // prepare
    const clock = fakeClock('2026-12-05T23:59:00Z');
    const { ledgers: [ledger], read } = await ledgers(1, clock.now);
    const late = await ledger!.reserve({ dailyUsd: 1 }, { id: 'late', budgetUsd: 1 });

    // act
    clock.set('2026-12-06T00:00:01Z');
    const early = await ledger!.reserve({ dailyUsd: 1 }, { id: 'early', budgetUsd: 1 });
    if (!late.allowed) throw new Error('the reservation must fit');
    await ledger!.settle(late, usage(1, 0.3));

    // assess: a run settles on the day it reserved on
    expect(early.allowed).toBe(true);
    expect(await ledger!.summary('2026-12-05')).toMatchObject({ costUsd: 0.3, reservedUsd: 0 });
    expect(await ledger!.summary('2026-12-06')).toMatchObject({ costUsd: 0, reservedUsd: 1 });
    const item = await read('SPEND#2026-12-05', 'DAY');
    expect(item?.expiresAt).toBe(Math.floor(Date.parse('2026-12-05T23:59:00Z') / 1000) + 35 * 86_400);
  });
});
