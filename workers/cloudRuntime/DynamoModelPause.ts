import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import {
  activePause,
  DEFAULT_PAUSE_BACKOFF,
  DEFAULT_PAUSE_REASON,
  nextPause,
  normalizePauseRecord,
  type ModelPause,
  type ModelPauseState,
  type PauseBackoff,
  type PauseRecord,
} from '../spend/index.js';
import { isConditionFailure } from './conditionFailure.js';

export interface DynamoModelPauseOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now?: () => Date;
  readonly backoff?: PauseBackoff;
}

/** The one pause item of a deployment: every model run of every task reads it. */
const PAUSE_KEY = { [TABLE.partitionKey]: `${KEY_PREFIX.pause}model`, [TABLE.sortKey]: 'PAUSE' } as const;
/** Writers that lost a race re-read and apply their step again; a few rounds settle any burst of 429s. */
const MAX_ATTEMPTS = 8;
/** The item outlives its pause by a day (TTL), so the backoff step survives a quiet spell but not forever. */
const KEEP_AFTER_PAUSE_SECONDS = 86_400;

/**
 * The deployment's model pause (see `ModelPause`): one item of the results
 * table (`PAUSE#model`), so a rate-limit or quota answer seen by one Fargate
 * task holds back every task's next run until the pause ends. Writes are
 * compare-and-set on a version number, so concurrent 429s climb the backoff
 * once, as `nextPause` prescribes.
 *
 * @example
 * const pause = new DynamoModelPause({ documentClient, tableName });
 * const engine = new WorkerEngine({ config, store, stateDir, spendLedger, modelPause: pause });
 */
export class DynamoModelPause implements ModelPause {
  private readonly now: () => Date;
  private readonly backoff: PauseBackoff;

  constructor(private readonly options: DynamoModelPauseOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoff = options.backoff ?? DEFAULT_PAUSE_BACKOFF;
  }

  async currentPause(): Promise<ModelPauseState | null> {
    // The item's TTL is lazy (and never acts in moto): the pause's own end decides.
    return activePause((await this.read()).record, this.now());
  }

  async pauseFor(retryAfterMs?: number, reason = DEFAULT_PAUSE_REASON): Promise<ModelPauseState> {
    for (let attempt = 1; ; attempt += 1) {
      const { record, version } = await this.read();
      const next = nextPause(record, this.now(), retryAfterMs, reason, this.backoff);
      try {
        await this.write(next, version);
        return { pausedUntil: new Date(next.pausedUntil!), reason: next.reason };
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async recordSuccess(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { record, version } = await this.read();
      // Most runs succeed with nothing to reset: no write.
      if (record.consecutive === 0) return;
      try {
        await this.write({ ...record, consecutive: 0 }, version);
        return;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async read(): Promise<{ record: PauseRecord; version: number }> {
    const { Item } = await this.options.documentClient.send(new GetCommand({ TableName: this.options.tableName, Key: PAUSE_KEY, ConsistentRead: true }));
    return { record: normalizePauseRecord(Item), version: typeof Item?.version === 'number' ? Item.version : 0 };
  }

  /** Writes the record if nobody wrote since it was read (version unchanged). */
  private async write(record: PauseRecord, version: number): Promise<void> {
    const untilSeconds = Math.floor(Date.parse(record.pausedUntil ?? new Date(0).toISOString()) / 1000);
    const expiresAt = Math.max(untilSeconds, Math.floor(this.now().getTime() / 1000)) + KEEP_AFTER_PAUSE_SECONDS;
    await this.options.documentClient.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: PAUSE_KEY,
        UpdateExpression: 'SET pausedUntil = :until, reason = :reason, consecutive = :consecutive, version = :next, #expiresAt = :expiresAt',
        ConditionExpression: version === 0 ? 'attribute_not_exists(version)' : 'version = :version',
        ExpressionAttributeNames: { '#expiresAt': TABLE.ttlAttribute },
        ExpressionAttributeValues: {
          ':until': record.pausedUntil,
          ':reason': record.reason,
          ':consecutive': record.consecutive,
          ':next': version + 1,
          ':expiresAt': expiresAt,
          ...(version === 0 ? {} : { ':version': version }),
        },
      }),
    );
  }
}
