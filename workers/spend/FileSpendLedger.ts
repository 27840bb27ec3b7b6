import { join } from 'node:path';
import type { TokenUsage } from '../run/types.js';
import { readJsonFile } from '../files/readJsonFile.js';
import { withFileLock } from '../files/withFileLock.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';
import { capVerdict, type SpendFigures } from './capVerdict.js';
import { dayKey, hourKey, roundUsd } from './spendCalendar.js';
import type { GrantedReservation, RunUsage, SpendLedger, SpendLimits, SpendReservation, SpendSummary, SpendVerdict } from './types.js';

export interface FileSpendLedgerOptions {
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
  /** Budget held by runs not settled yet, by run id. */
  reservations: Record<string, number>;
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

/**
 * The spend ledger of one machine (see `SpendLedger`): tokens, cost and reservations per
 * UTC day and headless launches per UTC hour, in a JSON file of the state directory, so
 * every process on the machine (CLI runs, the daemon) answers to the same caps. Writes
 * take a lock file and replace the file atomically; reads need no lock.
 *
 * @example
 * const ledger = new FileSpendLedger(stateDir);
 * const reservation = await ledger.reserve({ dailyUsd: 5, launchesPerHour: 20 }, { id: runId, budgetUsd: 0.5 });
 * if (!reservation.allowed) return fallBackToLocal(reservation.reason);
 * // ... run Claude Code ...
 * await ledger.settle(reservation, { tokens: result.tokens, costUsd: result.costUsd });
 */
export class FileSpendLedger implements SpendLedger {
  private readonly file: string;
  private readonly now: () => Date;

  public constructor(stateDir: string, options: FileSpendLedgerOptions = {}) {
    this.file = join(stateDir, FILE_NAME);
    this.now = options.now ?? (() => new Date());
  }

  public async check(limits: SpendLimits): Promise<SpendVerdict> {
    const now = this.now();
    return capVerdict(figuresOf(await this.read(), now), limits, now);
  }

  public async reserve(limits: SpendLimits, run: { readonly id: string; readonly budgetUsd: number }): Promise<SpendReservation> {
    assertBudget(run.budgetUsd);
    let reservation: SpendReservation | undefined;
    await this.update((ledger, now) => {
      const verdict = capVerdict(figuresOf(ledger, now), limits, now, run.budgetUsd);
      if (!verdict.allowed) {
        reservation = verdict;
        return;
      }
      const day = dayKey(now);
      (ledger.days[day] ??= emptyDay()).reservations[run.id] = run.budgetUsd;
      addLaunch(ledger, now);
      reservation = { allowed: true, id: run.id, day, budgetUsd: run.budgetUsd };
    });
    return reservation!;
  }

  public async settle(reservation: GrantedReservation, usage: RunUsage): Promise<void> {
    assertUsage(usage);
    await this.update((ledger) => {
      const day = ledger.days[reservation.day];
      if (!day || !(reservation.id in day.reservations)) return;
      delete day.reservations[reservation.id];
      addUsage(day, usage);
    });
  }

  /**
   * `check` and one launch counted, under one lock, with no budget held: so two processes
   * racing for the last launch of the hour cannot both get it.
   */
  public async reserveLaunch(limits: SpendLimits): Promise<SpendVerdict> {
    let verdict: SpendVerdict = { allowed: true };
    await this.update((ledger, now) => {
      verdict = capVerdict(figuresOf(ledger, now), limits, now);
      if (verdict.allowed) addLaunch(ledger, now);
    });
    return verdict;
  }

  /** Counts one headless launch in the current UTC hour. */
  public async recordLaunch(): Promise<void> {
    await this.update(addLaunch);
  }

  /** Adds a run's tokens and cost to the current UTC day, outside any reservation. */
  public async recordUsage(usage: RunUsage): Promise<void> {
    assertUsage(usage);
    await this.update((ledger, now) => addUsage((ledger.days[dayKey(now)] ??= emptyDay()), usage));
  }

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
      reservedUsd: reservedOf(record),
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

function figuresOf(ledger: LedgerFile, now: Date): SpendFigures {
  const day = ledger.days[dayKey(now)] ?? emptyDay();
  return { spentUsd: day.costUsd, reservedUsd: reservedOf(day), totalTokens: totalTokens(day), launchesThisHour: ledger.launches[hourKey(now)] ?? 0 };
}

function addLaunch(ledger: LedgerFile, now: Date): void {
  const key = hourKey(now);
  ledger.launches[key] = (ledger.launches[key] ?? 0) + 1;
}

function addUsage(day: DayRecord, { tokens, costUsd }: RunUsage): void {
  day.input += tokens.input;
  day.output += tokens.output;
  day.cacheRead += tokens.cacheRead;
  day.cacheCreation += tokens.cacheCreation;
  day.costUsd = roundUsd(day.costUsd + costUsd);
  day.runs += 1;
}

function assertUsage({ tokens, costUsd }: RunUsage): void {
  for (const [name, value] of Object.entries({ ...tokens, costUsd })) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`usage ${name} must be a non-negative number, got ${value}`);
  }
}

function assertBudget(budgetUsd: number): void {
  if (!Number.isFinite(budgetUsd) || budgetUsd < 0) throw new RangeError(`a run's budgetUsd must be a non-negative number, got ${budgetUsd}`);
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
    const reservations = Object.fromEntries(Object.entries(isRecord(value.reservations) ? value.reservations : {}).map(([id, amount]) => [id, numberOr0(amount)]));
    days[day] = {
      input: numberOr0(value.input),
      output: numberOr0(value.output),
      cacheRead: numberOr0(value.cacheRead),
      cacheCreation: numberOr0(value.cacheCreation),
      costUsd: numberOr0(value.costUsd),
      runs: numberOr0(value.runs),
      reservations,
    };
  }
  const launches: Record<string, number> = {};
  for (const [hour, value] of Object.entries(isRecord(source.launches) ? source.launches : {})) {
    launches[hour] = numberOr0(value);
  }
  return { version: 1, days, launches };
}

function emptyDay(): DayRecord {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, costUsd: 0, runs: 0, reservations: {} };
}

function reservedOf(day: DayRecord): number {
  return roundUsd(Object.values(day.reservations).reduce((sum, amount) => sum + amount, 0));
}

function totalTokens(day: Pick<TokenUsage, 'input' | 'output' | 'cacheRead' | 'cacheCreation'>): number {
  return day.input + day.output + day.cacheRead + day.cacheCreation;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
