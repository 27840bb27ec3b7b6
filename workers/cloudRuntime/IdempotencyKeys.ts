import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import { batchPutItems } from './batchWriteItems.js';
import { isConditionFailure } from './conditionFailure.js';

/** Sort key of an idempotency item (pk = IDEMPOTENCY#<key>). */
const IDEMPOTENCY_SORT_KEY = 'IDEMPOTENCY';

/**
 * States of a key: CLAIMED once a dispatch decided the run id, SENT once the
 * message is in its queue, RELEASED when sending failed (a retry may claim it again).
 */
export type IdempotencyState = 'CLAIMED' | 'SENT' | 'RELEASED';

export type ClaimResult =
  | { readonly claimed: true }
  /** A dispatch already used this key: its run id, and whether its message was sent. */
  | { readonly claimed: false; readonly runId: string; readonly state: IdempotencyState };

/** A key and what claiming it wrote: the whole item, so that batches can write it again. */
export interface KeyClaim {
  readonly key: string;
  readonly runId: string;
  readonly claimedAt: string;
  readonly expiresAt: number;
}

/**
 * Idempotency keys of dispatches (`IDEMPOTENCY#<key>` items with a TTL): a
 * retried schedule tick or Lambda retry finds its key and does not queue the
 * run a second time. A key left CLAIMED (the dispatcher died before sending)
 * hands its run id to the retry, which sends the message again: the runner
 * de-duplicates by run id, so at worst the same run is delivered twice.
 *
 * @example
 * const claim = await keys.claim('schedule#audit#api#2026-11-25T16:00:00Z', runId, expiresAt);
 */
export class IdempotencyKeys {
  constructor(
    private readonly options: { readonly documentClient: DynamoDBDocumentClient; readonly tableName: string; readonly clock?: () => Date },
  ) {}

  async claim(key: string, runId: string, expiresAt: number): Promise<ClaimResult> {
    const now = this.now();
    try {
      await this.options.documentClient.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: keyItem({ key, runId, claimedAt: now.toISOString(), expiresAt }, 'CLAIMED'),
          // An expired key still in the table (TTL is lazy) counts as absent.
          ConditionExpression: 'attribute_not_exists(#pk) OR #state = :released OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#state': 'state', '#expiresAt': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':released': 'RELEASED', ':now': Math.floor(now.getTime() / 1000) },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.options.documentClient.send(new GetCommand({ TableName: this.options.tableName, Key: itemKey(key), ConsistentRead: true }));
    return { claimed: false, runId: String(Item?.runId ?? runId), state: (Item?.state as IdempotencyState | undefined) ?? 'CLAIMED' };
  }

  async markSent(key: string): Promise<void> {
    await this.setState(key, 'SENT');
  }

  /** Frees a key whose message could not be sent, so that a retry queues the run afresh. */
  async release(key: string): Promise<void> {
    await this.setState(key, 'RELEASED');
  }

  /**
   * Writes many keys as CLAIMED, 25 a BatchWriteItem call, unconditionally:
   * only for keys no other dispatch can be writing (see `recordQueuedRuns`).
   */
  async putClaimedMany(claims: readonly KeyClaim[], options: { readonly sleep?: (ms: number) => Promise<void> } = {}): Promise<void> {
    await batchPutItems(this.options.documentClient, this.options.tableName, claims.map((claim) => keyItem(claim, 'CLAIMED')), options);
  }

  /** `markSent` for many keys this dispatch claimed, 25 a BatchWriteItem call (the whole item again, state SENT). */
  async markSentMany(claims: readonly KeyClaim[], options: { readonly sleep?: (ms: number) => Promise<void> } = {}): Promise<void> {
    await batchPutItems(this.options.documentClient, this.options.tableName, claims.map((claim) => keyItem(claim, 'SENT')), options);
  }

  /** A key as stored (expired ones included), or null. */
  async read(key: string): Promise<(KeyClaim & { readonly state: IdempotencyState }) | null> {
    const { Item } = await this.options.documentClient.send(new GetCommand({ TableName: this.options.tableName, Key: itemKey(key), ConsistentRead: true }));
    if (!Item) return null;
    return { key, runId: String(Item.runId), claimedAt: String(Item.claimedAt), expiresAt: Number(Item.expiresAt), state: Item.state as IdempotencyState };
  }

  private async setState(key: string, state: IdempotencyState): Promise<void> {
    await this.options.documentClient.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: itemKey(key),
        UpdateExpression: 'SET #state = :state',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#state': 'state', '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':state': state },
      }),
    );
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}

function keyItem(claim: KeyClaim, state: IdempotencyState): Record<string, unknown> {
  return { ...itemKey(claim.key), idempotencyKey: claim.key, runId: claim.runId, state, claimedAt: claim.claimedAt, expiresAt: claim.expiresAt };
}

function itemKey(key: string): Record<string, string> {
  return { [TABLE.partitionKey]: `${KEY_PREFIX.idempotency}${key}`, [TABLE.sortKey]: IDEMPOTENCY_SORT_KEY };
}
