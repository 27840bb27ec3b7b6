import { join } from 'node:path';
import type { TokenUsage } from '../run/types.js';
import { readJsonFile } from '../files/readJsonFile.js';
import { withFileLock } from '../files/withFileLock.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';

/** Caps a headless launch must stay under; an absent field is no cap. */
export interface SpendLimits {
  readonly dailyUsd?: number;
  /** All tokens the API reported in a UTC day: input, output, cache reads and cache writes. */
  readonly dailyTokens?: number;
  readonly launchesPerHour?: number;
}

export type SpendVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly retryAt: Date };

/** One UTC day's spend. */
export interface SpendSummary {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly tokens: TokenUsage;
  readonly totalTokens: number;
  readonly costUsd: number;
  /** Usage records (finished headless runs) of the day. */
  readonly runs: number;
  /** Headless launches of the day, all hours. */
  readonly launches: number;
}

export interface SpendLedgerOptions {
  /** The clock that decides the day and hour; tests pass a fake one. */
  readonly now?: () => Date;
}

interface DayRecord {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  costUsd: number;
  runs: number;
}

interface LedgerFile {
  readonly version: 1;
  /** By UTC day `YYYY-MM-DD`. */
  readonly days: Record<string, DayRecord>;
  /** Launch counts by UTC hour `YYYY-MM-DDTHH`. */
  readonly launches: Record<string, number>;
}

const FILE_NAME = 'spend-ledger.json';
const KEEP_DAYS = 35;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Tokens and cost per UTC day and headless launches per UTC hour, in a JSON file of the
 * state directory, so every process on the machine (CLI runs, the daemon) answers to the
 * same caps. Writes take a lock file and replace the file atomically; reads need no lock.
 *
 * @example
 * const ledger = new SpendLedger(stateDir);
 * const verdict = await ledger.reserveLaunch({ dailyUsd: 5, launchesPerHour: 20 });
 * if (!verdict.allowed) return fallBackToLocal(verdict.reason);
 * // ... run Claude Code ...
 * await ledger.recordUsage({ tokens: result.tokens, costUsd: result.costUsd });
 */
export class SpendLedger {
  private readonly file: string;
  private readonly now: () => Date;

  public constructor(stateDir: string, options: SpendLedgerOptions = {}) {
    this.file = join(stateDir, FILE_NAME);
    this.now = options.now ?? (() => new Date());
  }

  /** Whether one more headless launch fits under the limits, and if not, why and until when. */
  public async check(limits: SpendLimits): Promise<SpendVerdict> {
    return verdictFor(await this.read(), limits, this.now());
  }

  /**
   * `check` and `recordLaunch` under one lock, so two processes racing for the last launch
   * of the hour cannot both get it.
   */
  public async reserveLaunch(limits: SpendLimits): Promise<SpendVerdict> {
    let verdict: SpendVerdict = { allowed: true };
    await this.update((ledger, now) => {
      verdict = verdictFor(ledger, limits, now);
      if (verdict.allowed) addLaunch(ledger, now);
    });
    return verdict;
  }

  /** Counts one headless launch in the current UTC hour. */
  public async recordLaunch(): Promise<void> {
    await this.update(addLaunch);
  }

  /** Adds a finished run's tokens and cost to the current UTC day. */
  public async recordUsage(usage: { readonly tokens: TokenUsage; readonly costUsd: number }): Promise<void> {
    const { tokens, costUsd } = usage;
    for (const [name, value] of Object.entries({ ...tokens, costUsd })) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`usage ${name} must be a non-negative number, got ${value}`);
    }
    await this.update((ledger, now) => {
      const day = (ledger.days[dayKey(now)] ??= emptyDay());
      day.input += tokens.input;
      day.output += tokens.output;
      day.cacheRead += tokens.cacheRead;
      day.cacheCreation += tokens.cacheCreation;
      day.costUsd = roundUsd(day.costUsd + costUsd);
      day.runs += 1;
    });
  }

  /** One UTC day's figures; today by default. */
  public async summary(day?: string): Promise<SpendSummary> {
    const key = day ?? dayKey(this.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) throw new RangeError(`day must be YYYY-MM-DD, got ${key}`);
    const ledger = await this.read();
    const record = ledger.days[key] ?? emptyDay();
    const launches = Object.entries(ledger.launches)
      .filter(([hour]) => hour.startsWith(`${key}T`))
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      day: key,
      tokens: { input: record.input, output: record.output, cacheRead: record.cacheRead, cacheCreation: record.cacheCreation },
      totalTokens: totalTokens(record),
      costUsd: record.costUsd,
      runs: record.runs,
      launches,
    };
  }

  private async read(): Promise<LedgerFile> {
    return normalize(await readJsonFile(this.file));
  }

  private async update(change: (ledger: LedgerFile, now: Date) => void): Promise<void> {
    await withFileLock(`${this.file}.lock`, async () => {
      const ledger = await this.read();
      const now = this.now();
      change(ledger, now);
      await writeJsonAtomic(this.file, prune(ledger, now));
    });
  }
}

function verdictFor(ledger: LedgerFile, limits: SpendLimits, now: Date): SpendVerdict {
  const day = ledger.days[dayKey(now)] ?? emptyDay();
  const nextDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const nextHour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);

  const dailyUsd = limit(limits.dailyUsd, 'dailyUsd');
  if (dailyUsd !== undefined && day.costUsd >= dailyUsd) {
    return blocked(`daily spend cap reached: $${day.costUsd.toFixed(2)} of $${dailyUsd.toFixed(2)} (set limits.dailyUsd to raise it)`, nextDay);
  }
  const dailyTokens = limit(limits.dailyTokens, 'dailyTokens');
  const tokens = totalTokens(day);
  if (dailyTokens !== undefined && tokens >= dailyTokens) {
    return blocked(`daily token cap reached: ${count(tokens)} of ${count(dailyTokens)} tokens (set limits.dailyTokens to raise it)`, nextDay);
  }
  const perHour = limit(limits.launchesPerHour, 'launchesPerHour');
  const launches = ledger.launches[hourKey(now)] ?? 0;
  if (perHour !== undefined && launches >= perHour) {
    return blocked(`hourly launch cap reached: ${count(launches)} of ${count(perHour)} launches this hour (set limits.launchesPerHour to raise it)`, nextHour);
  }
  return { allowed: true };
}

function blocked(reason: string, retryAt: Date): SpendVerdict {
  return { allowed: false, reason, retryAt };
}

function limit(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(value) || value < 0) throw new RangeError(`limits.${name} must be a non-negative number, got ${value}`);
  return value;
}

function addLaunch(ledger: LedgerFile, now: Date): void {
  const key = hourKey(now);
  ledger.launches[key] = (ledger.launches[key] ?? 0) + 1;
}

/** Days (and their hours) older than KEEP_DAYS go; a month of history is enough for reports. */
function prune(ledger: LedgerFile, now: Date): LedgerFile {
  const oldest = dayKey(new Date(now.getTime() - KEEP_DAYS * DAY_MS));
  const days = Object.fromEntries(Object.entries(ledger.days).filter(([day]) => day >= oldest));
  const launches = Object.fromEntries(Object.entries(ledger.launches).filter(([hour]) => hour.slice(0, 10) >= oldest));
  return { version: 1, days, launches };
}

/** Tolerates missing fields so a hand-edited or older file still counts what it holds. */
function normalize(raw: unknown): LedgerFile {
  const source = isRecord(raw) ? raw : {};
  const days: Record<string, DayRecord> = {};
  for (const [day, value] of Object.entries(isRecord(source.days) ? source.days : {})) {
    if (!isRecord(value)) continue;
    days[day] = {
      input: numberOr0(value.input),
      output: numberOr0(value.output),
      cacheRead: numberOr0(value.cacheRead),
      cacheCreation: numberOr0(value.cacheCreation),
      costUsd: numberOr0(value.costUsd),
      runs: numberOr0(value.runs),
    };
  }
  const launches: Record<string, number> = {};
  for (const [hour, value] of Object.entries(isRecord(source.launches) ? source.launches : {})) {
    launches[hour] = numberOr0(value);
  }
  return { version: 1, days, launches };
}

function emptyDay(): DayRecord {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, costUsd: 0, runs: 0 };
}

function totalTokens(day: DayRecord): number {
  return day.input + day.output + day.cacheRead + day.cacheCreation;
}

function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function hourKey(date: Date): string {
  return date.toISOString().slice(0, 13);
}

/** Sums of many small float costs drift; nano-dollar rounding keeps totals exact enough to compare. */
function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
