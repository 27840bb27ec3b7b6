import { randomUUID } from 'node:crypto';
import { QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import type { FindingSet, FindingStore } from '../findings/FindingStore.js';
import type { FindingRecord } from '../findings/types.js';
import { isConditionFailure } from './conditionFailure.js';

/** Sort key of the one meta item of a finding set; fingerprints are hex, so it never collides with one. */
export const FINDING_SET_SORT_KEY = 'FINDINGSET';
/** `byWorker` index partition of the meta items: lists every set without a Scan. */
export const FINDING_SETS_INDEX_KEY = 'FINDINGSETS';
/** Actions in one TransactWriteItems call (DynamoDB's limit). */
const TRANSACTION_LIMIT = 100;

export interface DynamoFindingStoreOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Attempts of `update` when another writer got there first (default 8). */
  readonly maxAttempts?: number;
  /** How long a writer of more than one transaction's worth of items holds the set (default 60 s). */
  readonly lockMs?: number;
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface LoadedSet {
  readonly set: FindingSet;
  /** Version of the meta item; 0 when there is none yet. */
  readonly version: number;
  readonly lock: { readonly owner: string; readonly until: number } | null;
}

/** The partition of a (target, worker)'s findings. */
export function findingPartitionKey(target: string, worker: string): string {
  return `${KEY_PREFIX.finding}${target}#${worker}`;
}

/**
 * Tracked findings in the results table, the cloud twin of LocalFindingStore:
 * one item per finding (`pk = FINDING#<target>#<worker>`, `sk = <fingerprint>`)
 * and one meta item in the same partition (`sk = FINDINGSET`: `lastRunId`, a
 * `version`, a write lock), so loading a set, open findings included, is one
 * Query.
 *
 * `update` is optimistic: read at version v, compute, then write the changed
 * items in one transaction conditioned on the meta item still being at v; a
 * concurrent writer makes the transaction fail and the change is recomputed
 * from the fresh set. A change touching more than 99 items cannot be one
 * transaction: the writer then takes a lock on the meta item (conditional on
 * v), writes the items in transactions that each check it still holds the
 * lock, and releases it with `lastRunId` last; a lock whose holder died
 * lapses after `lockMs` (its run is then applied again on redelivery, which
 * can count the partly written findings twice: runCount is a count of
 * sightings, not an invariant).
 *
 * Finding items carry no `expiresAt`: the table's TTL would delete a finding
 * with its run records, and the lifecycle needs findings to outlive the runs
 * that reported them (firstSeen, fixed → returned months later). A set only
 * grows by distinct fingerprints; records are never deleted (the task roles
 * hold no DeleteItem), a record a change drops is written as a tombstone.
 *
 * @example
 * const findingStore = new DynamoFindingStore({ documentClient, tableName });
 * const engine = new WorkerEngine({ config, store, findingStore, stateDir });
 */
export class DynamoFindingStore implements FindingStore {
  private readonly clock: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DynamoFindingStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async load(target: string, worker: string): Promise<FindingSet> {
    return (await this.loadVersioned(target, worker, false)).set;
  }

  async update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet> {
    const attempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.loadVersioned(target, worker, true);
      const now = this.clock().getTime();
      if (loaded.lock && loaded.lock.until > now) {
        if (attempt >= attempts) throw new Error(`findings of ${target}/${worker} are locked by another writer until ${new Date(loaded.lock.until).toISOString()}`);
        await this.sleep(Math.min(loaded.lock.until - now, 250 * attempt));
        continue;
      }
      const next = change(loaded.set);
      if (next === loaded.set) return next;
      try {
        await this.write(target, worker, loaded, next);
        return next;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= attempts) throw error;
        await this.sleep(Math.floor(Math.random() * 50 * attempt));
      }
    }
  }

  async list(filter: { target?: string; worker?: string } = {}): Promise<FindingSet[]> {
    const names: { target: string; worker: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.documentClient.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: TABLE.byWorkerIndex.name,
          KeyConditionExpression: filter.target ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.byWorkerIndex.partitionKey, ...(filter.target ? { '#sk': TABLE.byWorkerIndex.sortKey } : {}) },
          ExpressionAttributeValues: { ':pk': FINDING_SETS_INDEX_KEY, ...(filter.target ? { ':prefix': `${filter.target}#` } : {}) },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const target = String(item.target);
        const worker = String(item.worker);
        if (filter.target && filter.target !== target) continue;
        if (filter.worker && filter.worker !== worker) continue;
        names.push({ target, worker });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return Promise.all(names.map(({ target, worker }) => this.load(target, worker)));
  }

  /** The meta item and every finding of a set, in one (paged) Query. */
  private async loadVersioned(target: string, worker: string, consistent: boolean): Promise<LoadedSet> {
    const records: FindingRecord[] = [];
    let meta: Record<string, unknown> | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.documentClient.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: { ':pk': findingPartitionKey(target, worker) },
          ConsistentRead: consistent,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item[TABLE.sortKey] === FINDING_SET_SORT_KEY) meta = item;
        else if (!item.removed) records.push(itemToRecord(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    records.sort(byFileAndLine);
    const lock = typeof meta?.lockOwner === 'string' && typeof meta.lockUntil === 'number' ? { owner: meta.lockOwner, until: meta.lockUntil } : null;
    return {
      set: { target, worker, lastRunId: typeof meta?.lastRunId === 'string' ? meta.lastRunId : null, records },
      version: typeof meta?.version === 'number' ? meta.version : 0,
      lock,
    };
  }

  /** Writes what changed between the loaded set and the next one, conditioned on nobody else having written since. */
  private async write(target: string, worker: string, loaded: LoadedSet, next: FindingSet): Promise<void> {
    const { documentClient, tableName } = this.options;
    const pk = findingPartitionKey(target, worker);
    const before = new Map(loaded.set.records.map((record) => [record.fingerprint, canonicalJson(record)] as const));
    const kept = new Set(next.records.map((record) => record.fingerprint));
    const puts: Record<string, unknown>[] = [
      ...next.records.filter((record) => before.get(record.fingerprint) !== canonicalJson(record)).map((record) => ({ ...record, [TABLE.partitionKey]: pk, [TABLE.sortKey]: record.fingerprint })),
      ...loaded.set.records.filter((record) => !kept.has(record.fingerprint)).map((record) => ({ [TABLE.partitionKey]: pk, [TABLE.sortKey]: record.fingerprint, removed: true })),
    ];
    const metaKey = { [TABLE.partitionKey]: pk, [TABLE.sortKey]: FINDING_SET_SORT_KEY };
    const atVersion = loaded.version === 0 ? 'attribute_not_exists(#pk)' : '#version = :expected';
    const atVersionValues = loaded.version === 0 ? {} : { ':expected': loaded.version };
    const metaFields = {
      target,
      worker,
      [TABLE.byWorkerIndex.partitionKey]: FINDING_SETS_INDEX_KEY,
      [TABLE.byWorkerIndex.sortKey]: `${target}#${worker}`,
    };
    const putOf = (item: Record<string, unknown>) => ({ Put: { TableName: tableName, Item: item } });

    if (puts.length < TRANSACTION_LIMIT) {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...metaKey, ...metaFields, version: loaded.version + 1, ...(next.lastRunId !== null ? { lastRunId: next.lastRunId } : {}) },
                ConditionExpression: atVersion,
                ExpressionAttributeNames: loaded.version === 0 ? { '#pk': TABLE.partitionKey } : { '#version': 'version' },
                ...(loaded.version === 0 ? {} : { ExpressionAttributeValues: atVersionValues }),
              },
            },
            ...puts.map(putOf),
          ],
        }),
      );
      return;
    }

    // Too many items for one transaction: lock the set, write in chunks, release with lastRunId.
    const owner = randomUUID();
    const lockUntil = this.clock().getTime() + (this.options.lockMs ?? 60_000);
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: metaKey,
        UpdateExpression: 'SET #version = :version, lockOwner = :owner, lockUntil = :until, #t = :t, #w = :w, #gpk = :gpk, #gsk = :gsk',
        ConditionExpression: loaded.version === 0 ? 'attribute_not_exists(#pk)' : '#version = :expected',
        ExpressionAttributeNames: { ...(loaded.version === 0 ? { '#pk': TABLE.partitionKey } : {}), '#version': 'version', '#t': 'target', '#w': 'worker', '#gpk': TABLE.byWorkerIndex.partitionKey, '#gsk': TABLE.byWorkerIndex.sortKey },
        ExpressionAttributeValues: {
          ':version': loaded.version + 1,
          ':owner': owner,
          ':until': lockUntil,
          ':t': target,
          ':w': worker,
          ':gpk': FINDING_SETS_INDEX_KEY,
          ':gsk': `${target}#${worker}`,
          ...atVersionValues,
        },
      }),
    );
    // Each chunk renews the lock, conditioned on still holding it (an Update, not a
    // ConditionCheck: the task roles need no action beyond PutItem and UpdateItem).
    const renewLock = () => ({
      Update: {
        TableName: tableName,
        Key: metaKey,
        UpdateExpression: 'SET lockUntil = :until',
        ConditionExpression: 'lockOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner, ':until': this.clock().getTime() + (this.options.lockMs ?? 60_000) },
      },
    });
    for (let start = 0; start < puts.length; start += TRANSACTION_LIMIT - 1) {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [renewLock(), ...puts.slice(start, start + TRANSACTION_LIMIT - 1).map(putOf)] }));
    }
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: metaKey,
        UpdateExpression: `SET #version = :version${next.lastRunId !== null ? ', lastRunId = :runId' : ''} REMOVE lockOwner, lockUntil`,
        ConditionExpression: 'lockOwner = :owner',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': loaded.version + 2, ':owner': owner, ...(next.lastRunId !== null ? { ':runId': next.lastRunId } : {}) },
      }),
    );
  }
}

/** A stored item back to the record it holds. */
function itemToRecord(item: Record<string, unknown>): FindingRecord {
  const { [TABLE.partitionKey]: _pk, [TABLE.sortKey]: _sk, ...record } = item;
  return record as unknown as FindingRecord;
}

/** JSON with keys sorted, so a record read back from DynamoDB (which keeps no order) compares equal to itself. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The order LocalFindingStore keeps (applyRunToFindings sorts the same way). */
function byFileAndLine(a: FindingRecord, b: FindingRecord): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.fingerprint < b.fingerprint ? -1 : 1);
}
