import { randomUUID } from 'node:crypto';
import { paginateQuery, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import type { FindingSet, FindingStore } from '../findings/FindingStore.js';
import type { FindingRecord } from '../findings/types.js';
import { isConditionFailure } from './conditionFailure.js';
import { announcedFindings, findingEventDetail, findingEventType, type FindingEventOutbox, type PendingFindingEvent } from './FindingEvents.js';

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

/** Events of a finding item not yet accepted by EventBridge, by event id (`<runId>:<detail-type>`). */
type PendingEvents = Record<string, { readonly detailType: string; readonly detail: string }>;

/** Attribute of a finding item that holds its pending events (the outbox). */
const PENDING_EVENTS = 'pendingEvents';

interface LoadedSet {
  readonly set: FindingSet;
  /** Pending events per fingerprint, carried over when the item is written again. */
  readonly pending: ReadonlyMap<string, PendingEvents>;
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
 * It is also the outbox of finding events (FindingEventOutbox): an update
 * with `storeEvents` writes each new or returned finding's event into the
 * finding's own item (`pendingEvents`), in the same transaction as the
 * finding; the events are removed one by one once EventBridge accepted them,
 * so an event whose PutEvents failed is sent again later (at least once).
 *
 * @example
 * const findingStore = new DynamoFindingStore({ documentClient, tableName });
 * const engine = new WorkerEngine({ config, store, findingStore, stateDir });
 */
export class DynamoFindingStore implements FindingStore, FindingEventOutbox {
  private readonly clock: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DynamoFindingStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async load(target: string, worker: string): Promise<FindingSet> {
    return (await this.loadVersioned(target, worker, false)).set;
  }

  /**
   * Read-modify-write of one set; with `storeEvents`, the events of the
   * findings it announces are stored with them (see the class comment).
   */
  async update(target: string, worker: string, change: (current: FindingSet) => FindingSet, options: { readonly storeEvents?: boolean } = {}): Promise<FindingSet> {
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
        await this.write(target, worker, loaded, next, options.storeEvents === true);
        return next;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= attempts) throw error;
        await this.sleep(Math.floor(Math.random() * 50 * attempt));
      }
    }
  }

  async list(filter: { target?: string; worker?: string } = {}): Promise<FindingSet[]> {
    const names: { target: string; worker: string }[] = [];
    for await (const page of paginateQuery({ client: this.options.documentClient }, {
      TableName: this.options.tableName,
      IndexName: TABLE.byWorkerIndex.name,
      KeyConditionExpression: filter.target ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.byWorkerIndex.partitionKey, ...(filter.target ? { '#sk': TABLE.byWorkerIndex.sortKey } : {}) },
      ExpressionAttributeValues: { ':pk': FINDING_SETS_INDEX_KEY, ...(filter.target ? { ':prefix': `${filter.target}#` } : {}) },
    })) {
      for (const item of page.Items ?? []) {
        const target = String(item.target);
        const worker = String(item.worker);
        if (filter.target && filter.target !== target) continue;
        if (filter.worker && filter.worker !== worker) continue;
        names.push({ target, worker });
      }
    }
    return Promise.all(names.map(({ target, worker }) => this.load(target, worker)));
  }

  async pendingEvents(target: string, worker: string): Promise<PendingFindingEvent[]> {
    const { pending } = await this.loadVersioned(target, worker, true);
    return [...pending].flatMap(([fingerprint, events]) =>
      Object.entries(events).map(([id, event]) => ({ target, worker, fingerprint, id, detailType: event.detailType, detail: event.detail })),
    );
  }

  async clearPendingEvents(events: readonly PendingFindingEvent[]): Promise<void> {
    const byItem = new Map<string, PendingFindingEvent[]>();
    for (const event of events) {
      const key = `${findingPartitionKey(event.target, event.worker)}\u0000${event.fingerprint}`;
      byItem.set(key, [...(byItem.get(key) ?? []), event]);
    }
    for (const itemEvents of byItem.values()) {
      const { target, worker, fingerprint } = itemEvents[0]!;
      const names = Object.fromEntries(itemEvents.map((event, index) => [`#e${index}`, event.id]));
      try {
        await this.options.documentClient.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: { [TABLE.partitionKey]: findingPartitionKey(target, worker), [TABLE.sortKey]: fingerprint },
            UpdateExpression: `REMOVE ${itemEvents.map((_, index) => `#pending.#e${index}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(#pending)',
            ExpressionAttributeNames: { '#pending': PENDING_EVENTS, ...names },
          }),
        );
      } catch (error) {
        // The item has no outbox any more (rewritten without one): nothing left to clear.
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  /** The meta item and every finding of a set, in one (paged) Query. */
  private async loadVersioned(target: string, worker: string, consistent: boolean): Promise<LoadedSet> {
    const records: FindingRecord[] = [];
    const pending = new Map<string, PendingEvents>();
    let meta: Record<string, unknown> | undefined;
    for await (const page of paginateQuery({ client: this.options.documentClient }, {
      TableName: this.options.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      ExpressionAttributeValues: { ':pk': findingPartitionKey(target, worker) },
      ConsistentRead: consistent,
    })) {
      for (const item of page.Items ?? []) {
        if (item[TABLE.sortKey] === FINDING_SET_SORT_KEY) meta = item;
        else if (!item.removed) {
          records.push(itemToRecord(item));
          const events = item[PENDING_EVENTS] as PendingEvents | undefined;
          if (events && Object.keys(events).length > 0) pending.set(String(item[TABLE.sortKey]), events);
        }
      }
    }
    records.sort(byFileAndLine);
    const lock = typeof meta?.lockOwner === 'string' && typeof meta.lockUntil === 'number' ? { owner: meta.lockOwner, until: meta.lockUntil } : null;
    return {
      set: { target, worker, lastRunId: typeof meta?.lastRunId === 'string' ? meta.lastRunId : null, records },
      version: typeof meta?.version === 'number' ? meta.version : 0,
      lock,
      pending,
    };
  }

  /** Writes what changed between the loaded set and the next one, conditioned on nobody else having written since. */
  private async write(target: string, worker: string, loaded: LoadedSet, next: FindingSet, storeEvents: boolean): Promise<void> {
    const { documentClient, tableName } = this.options;
    const pk = findingPartitionKey(target, worker);
    const before = new Map(loaded.set.records.map((record) => [record.fingerprint, canonicalJson(record)] as const));
    const kept = new Set(next.records.map((record) => record.fingerprint));
    const announced = new Map(storeEvents ? announcedFindings(loaded.set, next).map((record) => [record.fingerprint, record] as const) : []);
    // An item written again keeps the events still pending on it, plus the one this update announces.
    const pendingOf = (record: FindingRecord): PendingEvents => {
      const events: PendingEvents = { ...loaded.pending.get(record.fingerprint) };
      const newsworthy = announced.get(record.fingerprint);
      if (newsworthy) {
        const detailType = findingEventType(newsworthy);
        return { ...events, [`${next.lastRunId}:${detailType}`]: { detailType, detail: JSON.stringify(findingEventDetail(newsworthy)) } };
      }
      return events;
    };
    const itemOf = (record: FindingRecord): Record<string, unknown> => {
      const events = pendingOf(record);
      return { ...record, [TABLE.partitionKey]: pk, [TABLE.sortKey]: record.fingerprint, ...(Object.keys(events).length > 0 ? { [PENDING_EVENTS]: events } : {}) };
    };
    const puts: Record<string, unknown>[] = [
      ...next.records.filter((record) => before.get(record.fingerprint) !== canonicalJson(record)).map(itemOf),
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
  const { [TABLE.partitionKey]: _pk, [TABLE.sortKey]: _sk, [PENDING_EVENTS]: _pending, ...record } = item;
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
