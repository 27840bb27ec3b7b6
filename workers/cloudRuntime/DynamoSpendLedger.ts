import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import {
  capVerdict,
  dayKey,
  hourKey,
  roundUsd,
  type GrantedReservation,
  type RunUsage,
  type SpendFigures,
  type SpendLedger,
  type SpendLimits,
  type SpendReservation,
  type SpendSummary,
  type SpendVerdict,
} from '../spend/index.js';
import { isConditionFailure } from './conditionFailure.js';

export interface DynamoSpendLedgerOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The clock that decides the day and hour; tests pass a fake one. */
  readonly now?: () => Date;
  /** Days a day's or hour's item is kept (its TTL). Default 35, as the file ledger keeps. */
  readonly keepDays?: number;
}

const DAY_SORT_KEY = 'DAY';
const HOUR_SORT_KEY = 'HOUR';
/** Attempts of a reservation that lost a race it could have won (a settle or a conflicting transaction in between). */
const MAX_ATTEMPTS = 6;
const DAY_SECONDS = 86_400;

/**
 * The deployment's spend ledger (see `SpendLedger`): one item per UTC day
 * (`SPEND#<yyyy-mm-dd>`) and one per UTC hour (`SPEND#<yyyy-mm-ddTHH>`) in the
 * results table, changed only by conditional atomic updates, so every Fargate
 * task of the deployment answers to the same caps.
 *
 * DynamoDB conditions cannot add, so the day item keeps `committedUsd` (spent
 * plus reserved) beside its parts: a reservation of B under a cap C is
 * `ADD committedUsd :B` on condition `committedUsd <= C - B`, after the hour's
 * `ADD launches :1` on condition `launches < launchesPerHour`; when the day
 * refuses, the launch is given back. Two single-item conditional updates rather
 * than one TransactWriteItems: each is atomic in DynamoDB, a burst of tasks
 * meets no TransactionConflict retries, and moto (the tests' emulator) does
 * not isolate concurrent transactions while it does apply an UpdateItem whole.
 * Between the two updates a launch may be counted for a moment that then does
 * not start: the caps err on the side of fewer launches, never more.
 * Settling removes the reservation's own attribute (on condition that it is
 * there, so a retried settle counts nothing twice) and moves B from reserved
 * to the measured cost. A task killed mid-run leaves its reservation held until
 * the day ends: the cap errs on the side of spending less.
 *
 * @example
 * const ledger = new DynamoSpendLedger({ documentClient, tableName });
 * const engine = new WorkerEngine({ config, store, stateDir, spendLedger: ledger, modelPause });
 */
export class DynamoSpendLedger implements SpendLedger {
  private readonly now: () => Date;
  private readonly keepSeconds: number;

  constructor(private readonly options: DynamoSpendLedgerOptions) {
    this.now = options.now ?? (() => new Date());
    this.keepSeconds = Math.round((options.keepDays ?? 35) * DAY_SECONDS);
  }

  async check(limits: SpendLimits): Promise<SpendVerdict> {
    const now = this.now();
    return capVerdict(await this.figures(now), limits, now);
  }

  async reserve(limits: SpendLimits, run: { readonly id: string; readonly budgetUsd: number }): Promise<SpendReservation> {
    const budgetUsd = roundUsd(run.budgetUsd);
    if (!Number.isFinite(budgetUsd) || budgetUsd < 0) throw new RangeError(`a run's budgetUsd must be a non-negative number, got ${run.budgetUsd}`);
    // Unique per attempt: a run delivered again after its task died must not meet its own stale reservation.
    const id = `${run.id}#${randomUUID().slice(0, 8)}`;
    for (let attempt = 1; ; attempt += 1) {
      const now = this.now();
      // A budget larger than the whole cap would pass `attribute_not_exists` on a fresh day: refuse it first.
      if (limits.dailyUsd !== undefined && budgetUsd > limits.dailyUsd) return refusal(capVerdict(await this.figures(now), limits, now, budgetUsd));
      const granted = (await this.tryUpdate(this.launchInHour(now, limits, 1))) && (await this.tryReserveOnDay(now, limits, id, budgetUsd));
      if (granted) return { allowed: true, id, day: dayKey(now), budgetUsd };
      // Refused, or lost a race it could have won (a run settled meanwhile): the figures say which.
      const verdict = capVerdict(await this.figures(now), limits, now, budgetUsd);
      if (!verdict.allowed) return refusal(verdict);
      if (attempt >= MAX_ATTEMPTS) {
        return { allowed: false, reason: `the spend ledger stayed contended for ${MAX_ATTEMPTS} attempts; the run was not started`, retryAt: new Date(now.getTime() + 60_000) };
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }

  /** The day's share of a reservation; when the day refuses, the launch already counted in the hour is given back. */
  private async tryReserveOnDay(now: Date, limits: SpendLimits, id: string, budgetUsd: number): Promise<boolean> {
    if (await this.tryUpdate(this.reserveOnDay(now, limits, id, budgetUsd))) return true;
    await this.tryUpdate(this.launchInHour(now, {}, -1));
    return false;
  }

  /** Sends a conditional update; false when its condition did not hold. */
  private async tryUpdate(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.options.documentClient.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settle(reservation: GrantedReservation, usage: RunUsage): Promise<void> {
    const { tokens } = usage;
    for (const [name, value] of Object.entries({ ...tokens, costUsd: usage.costUsd })) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`usage ${name} must be a non-negative number, got ${value}`);
    }
    const costUsd = roundUsd(usage.costUsd);
    try {
      await this.options.documentClient.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: dayItemKey(reservation.day),
          UpdateExpression:
            'ADD committedUsd :delta, reservedUsd :release, spentUsd :cost, runs :one, inputTokens :input, outputTokens :output, cacheReadTokens :cacheRead, cacheCreationTokens :cacheCreation, totalTokens :total REMOVE #reservation',
          ConditionExpression: 'attribute_exists(#reservation)',
          ExpressionAttributeNames: { '#reservation': reservationAttribute(reservation.id) },
          ExpressionAttributeValues: {
            ':delta': roundUsd(costUsd - reservation.budgetUsd),
            ':release': -reservation.budgetUsd,
            ':cost': costUsd,
            ':one': 1,
            ':input': tokens.input,
            ':output': tokens.output,
            ':cacheRead': tokens.cacheRead,
            ':cacheCreation': tokens.cacheCreation,
            ':total': tokens.input + tokens.output + tokens.cacheRead + tokens.cacheCreation,
          },
        }),
      );
    } catch (error) {
      // Settled already (a retried call whose first try went through): nothing more to count.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async summary(day?: string): Promise<SpendSummary> {
    const key = day ?? dayKey(this.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) throw new RangeError(`day must be YYYY-MM-DD, got ${key}`);
    const item = await this.get(dayItemKey(key));
    const tokens = { input: num(item.inputTokens), output: num(item.outputTokens), cacheRead: num(item.cacheReadTokens), cacheCreation: num(item.cacheCreationTokens) };
    return {
      day: key,
      tokens,
      totalTokens: num(item.totalTokens),
      costUsd: roundUsd(num(item.spentUsd)),
      reservedUsd: roundUsd(num(item.reservedUsd)),
      runs: num(item.runs),
      launches: num(item.launches),
    };
  }

  /** The day's update of a reservation: budget and launch added, on condition that every daily cap still holds it. */
  private reserveOnDay(now: Date, limits: SpendLimits, id: string, budgetUsd: number): UpdateCommandInput {
    const conditions = ['attribute_not_exists(#reservation)'];
    const values: Record<string, unknown> = { ':budget': budgetUsd, ':one': 1, ':expiresAt': this.expiresAt(now) };
    if (limits.dailyUsd !== undefined) {
      conditions.push('(attribute_not_exists(committedUsd) OR committedUsd <= :room)');
      values[':room'] = roundUsd(limits.dailyUsd - budgetUsd);
    }
    if (limits.dailyTokens !== undefined) {
      conditions.push('(attribute_not_exists(totalTokens) OR totalTokens < :tokenCap)');
      values[':tokenCap'] = limits.dailyTokens;
    }
    return {
      TableName: this.options.tableName,
      Key: dayItemKey(dayKey(now)),
      UpdateExpression: 'ADD committedUsd :budget, reservedUsd :budget, launches :one SET #reservation = :budget, #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#reservation': reservationAttribute(id), '#expiresAt': TABLE.ttlAttribute },
      ExpressionAttributeValues: values,
    };
  }

  /** The hour's update of a reservation: `change` launches (1, or -1 to give one back), on condition that the hourly cap still holds one more. */
  private launchInHour(now: Date, limits: SpendLimits, change: 1 | -1): UpdateCommandInput {
    const perHour = limits.launchesPerHour;
    return {
      TableName: this.options.tableName,
      Key: { [TABLE.partitionKey]: `${KEY_PREFIX.spend}${hourKey(now)}`, [TABLE.sortKey]: HOUR_SORT_KEY },
      UpdateExpression: 'ADD launches :change SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
      ...(perHour !== undefined ? { ConditionExpression: 'attribute_not_exists(launches) OR launches < :perHour' } : {}),
      ExpressionAttributeNames: { '#expiresAt': TABLE.ttlAttribute },
      ExpressionAttributeValues: { ':change': change, ':expiresAt': this.expiresAt(now), ...(perHour !== undefined ? { ':perHour': perHour } : {}) },
    };
  }

  private async figures(now: Date): Promise<SpendFigures> {
    const [day, hour] = await Promise.all([
      this.get(dayItemKey(dayKey(now))),
      this.get({ [TABLE.partitionKey]: `${KEY_PREFIX.spend}${hourKey(now)}`, [TABLE.sortKey]: HOUR_SORT_KEY }),
    ]);
    return { spentUsd: num(day.spentUsd), reservedUsd: num(day.reservedUsd), totalTokens: num(day.totalTokens), launchesThisHour: num(hour.launches) };
  }

  private async get(key: Record<string, string>): Promise<Record<string, unknown>> {
    const { Item } = await this.options.documentClient.send(new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }));
    return Item ?? {};
  }

  /** TTL (epoch seconds) of a day's or hour's item: kept `keepDays` for reports, then DynamoDB may delete it. */
  private expiresAt(now: Date): number {
    return Math.floor(now.getTime() / 1000) + this.keepSeconds;
  }
}

function dayItemKey(day: string): Record<string, string> {
  return { [TABLE.partitionKey]: `${KEY_PREFIX.spend}${day}`, [TABLE.sortKey]: DAY_SORT_KEY };
}

/** The day item's attribute that holds one reservation's budget until it settles. */
function reservationAttribute(id: string): string {
  return `reservation:${id}`;
}

function refusal(verdict: SpendVerdict): SpendReservation {
  if (verdict.allowed) throw new Error('a refusal was expected');
  return verdict;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
