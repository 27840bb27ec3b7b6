import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import { TABLE } from '../../workers/cloud/index.js';
import { isConditionFailure } from '../../workers/cloudRuntime/conditionFailure.js';

/** Partition key prefix of a profile's launcher item (`LAUNCHER#<profile>`, sort key `LAUNCHER`). */
export const LAUNCHER_KEY_PREFIX = 'LAUNCHER#';

/** Tasks this dispatcher started recently: task ARN → epoch ms of the launch. */
export type RecentLaunches = Record<string, number>;

/**
 * A short lease on starting a profile's tasks, held in the results table.
 * Counting running tasks and starting more is a read-then-write: without the
 * lease, a burst of dispatcher invocations would each see room under the cap
 * and together exceed it. The item also remembers the tasks started in the
 * last minute, since ECS ListTasks may not show a task that was just started.
 *
 * @example
 * const lock = new LaunchLock({ documentClient, tableName, profile: 'strict', owner: requestId });
 * const held = await lock.acquire(8_000);
 * if (held) try { ... } finally { await lock.release(newRecent); }
 */
export class LaunchLock {
  constructor(
    private readonly options: {
      readonly documentClient: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly profile: ExecutionProfile;
      readonly owner: string;
      /** How long the lease lasts if its holder dies. Default 20 s. */
      readonly leaseMs?: number;
      readonly clock?: () => number;
      readonly sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  /** Waits up to `waitMs` for the lease; returns the recent launches, or null when it was not free in time. */
  async acquire(waitMs: number): Promise<RecentLaunches | null> {
    const clock = this.options.clock ?? Date.now;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const deadline = clock() + waitMs;
    for (let attempt = 0; ; attempt++) {
      const now = clock();
      try {
        const { Attributes } = await this.options.documentClient.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: this.key(),
            UpdateExpression: 'SET #owner = :owner, #until = :until',
            ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
            ExpressionAttributeNames: { '#owner': 'lockOwner', '#until': 'lockedUntil' },
            ExpressionAttributeValues: { ':owner': this.options.owner, ':until': now + (this.options.leaseMs ?? 20_000), ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return (Attributes?.recentLaunches as RecentLaunches | undefined) ?? {};
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      if (clock() >= deadline) return null;
      await sleep(Math.min(50 * 2 ** Math.min(attempt, 4), 500) * (0.5 + Math.random()));
    }
  }

  /** Frees the lease and stores the launches to remember. */
  async release(recent: RecentLaunches): Promise<void> {
    try {
      await this.options.documentClient.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: this.key(),
          UpdateExpression: 'SET #recent = :recent REMOVE #owner, #until',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#recent': 'recentLaunches', '#owner': 'lockOwner', '#until': 'lockedUntil' },
          ExpressionAttributeValues: { ':recent': recent, ':owner': this.options.owner },
        }),
      );
    } catch (error) {
      // The lease ran out and someone else holds it now: nothing of ours to free.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private key(): Record<string, string> {
    return { [TABLE.partitionKey]: `${LAUNCHER_KEY_PREFIX}${this.options.profile}`, [TABLE.sortKey]: 'LAUNCHER' };
  }
}
