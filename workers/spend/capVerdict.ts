import { nextDayStart, nextHourStart, roundUsd } from './spendCalendar.js';
import type { SpendLimits, SpendVerdict } from './types.js';

/** What the caps are compared with: the current day's and hour's figures of a ledger. */
export interface SpendFigures {
  /** Measured cost of the day's settled runs. */
  readonly spentUsd: number;
  /** Budget held by the day's runs not settled yet. */
  readonly reservedUsd: number;
  readonly totalTokens: number;
  readonly launchesThisHour: number;
}

/**
 * Whether one more launch, holding `budgetUsd` until it settles, fits under the limits,
 * and if not, why and until when. The daily spend cap counts spent plus reserved: a run
 * may start only when its whole budget fits in what is left of the day.
 *
 * @example
 * capVerdict({ spentUsd: 1, reservedUsd: 1, totalTokens: 0, launchesThisHour: 0 }, { dailyUsd: 2.5 }, now, 1);
 * // → refused: only $0.50 of $2.50 is left today, this run may spend up to $1.00
 */
export function capVerdict(figures: SpendFigures, limits: SpendLimits, now: Date, budgetUsd = 0): SpendVerdict {
  const dailyUsd = limit(limits.dailyUsd, 'dailyUsd');
  const committed = roundUsd(figures.spentUsd + figures.reservedUsd);
  const held = figures.reservedUsd > 0 ? ` (of which $${figures.reservedUsd.toFixed(2)} reserved by runs in progress)` : '';
  if (dailyUsd !== undefined && committed >= dailyUsd) {
    return blocked(`daily spend cap reached: $${committed.toFixed(2)}${held} of $${dailyUsd.toFixed(2)} (set limits.dailyUsd to raise it)`, nextDayStart(now));
  }
  if (dailyUsd !== undefined && roundUsd(committed + budgetUsd) > dailyUsd) {
    return blocked(
      `daily spend cap reached: this run may spend up to $${budgetUsd.toFixed(2)} (its maxBudgetUsd) and only $${(dailyUsd - committed).toFixed(2)} of $${dailyUsd.toFixed(2)} is left today, $${committed.toFixed(2)} spent or reserved${held} (set limits.dailyUsd to raise it, or lower the worker's maxBudgetUsd)`,
      nextDayStart(now),
    );
  }
  const dailyTokens = limit(limits.dailyTokens, 'dailyTokens');
  if (dailyTokens !== undefined && figures.totalTokens >= dailyTokens) {
    return blocked(`daily token cap reached: ${count(figures.totalTokens)} of ${count(dailyTokens)} tokens (set limits.dailyTokens to raise it)`, nextDayStart(now));
  }
  const perHour = limit(limits.launchesPerHour, 'launchesPerHour');
  if (perHour !== undefined && figures.launchesThisHour >= perHour) {
    return blocked(
      `hourly launch cap reached: ${count(figures.launchesThisHour)} of ${count(perHour)} launches this hour (set limits.launchesPerHour to raise it)`,
      nextHourStart(now),
    );
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

function count(value: number): string {
  return value.toLocaleString('en-US');
}
