const HOUR_MS = 3_600_000;

/** The UTC day of a time, `YYYY-MM-DD`: the period of the daily caps. */
export function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC hour of a time, `YYYY-MM-DDTHH`: the period of the launch cap. */
export function hourKey(date: Date): string {
  return date.toISOString().slice(0, 13);
}

/** Midnight UTC after `date`, when the daily caps start over. */
export function nextDayStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}

/** The next full UTC hour, when the launch cap starts over. */
export function nextHourStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
}

/** Sums of many small float costs drift; nano-dollar rounding keeps totals exact enough to compare. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
