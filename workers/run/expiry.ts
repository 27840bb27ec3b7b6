const SECONDS_PER_DAY = 86_400;

/** Epoch seconds at which a record made at `at` expires (DynamoDB TTL semantics). */
export function expiresAtFor(at: Date, ttlDays: number): number {
  return Math.floor(at.getTime() / 1000) + Math.round(ttlDays * SECONDS_PER_DAY);
}

/**
 * True once a record's TTL has passed. Readers must check this themselves:
 * DynamoDB deletes expired items lazily (up to days later) and the local store
 * only when consolidate prunes.
 */
export function isExpired(record: { readonly expiresAt: number }, now: Date = new Date()): boolean {
  return record.expiresAt <= Math.floor(now.getTime() / 1000);
}
