import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../files/readJsonFile.js';
import { withFileLock } from '../files/withFileLock.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';
import type { ReviewEntry, ReviewLedger } from './types.js';

const LEDGER_VERSION = 1;

const entrySchema = z.object({
  path: z.string().min(1).max(4096),
  hash: z.string().regex(/^[0-9a-f]{32}$/),
  commit: z.string().regex(/^[0-9a-f]{40,64}$/).nullable(),
  whole: z.boolean(),
  chars: z.number().int().nonnegative(),
  runId: z.string().min(1).max(200),
  reviewedAt: z.string().datetime(),
});

const ledgerSchema = z.object({ version: z.literal(LEDGER_VERSION), target: z.string(), worker: z.string(), files: z.array(z.unknown()) });

/**
 * The review ledger as one JSON file per (target, worker) under
 * `<stateDir>/coverage/`, written atomically under a lock. The file is read as
 * untrusted data: entries that do not validate are dropped (the file is then
 * treated as never reviewed, which errs towards showing it again).
 *
 * @example const ledger = new LocalReviewLedger(stateDir); await ledger.read('api', 'audit');
 */
export class LocalReviewLedger implements ReviewLedger {
  constructor(private readonly stateDir: string) {}

  /** Where the ledger of a (target, worker) lives: names are hashed, so no target can pick a path. */
  fileOf(target: string, worker: string): string {
    const key = createHash('sha256').update(`${target}\0${worker}`).digest('hex').slice(0, 24);
    return path.join(this.stateDir, 'coverage', `${key}.json`);
  }

  async read(target: string, worker: string): Promise<Map<string, ReviewEntry>> {
    // A broken ledger file reads as empty: every file is then due again, which errs towards reviewing.
    const raw = await readJsonFile(this.fileOf(target, worker)).catch(() => undefined);
    const entries = new Map<string, ReviewEntry>();
    const parsed = ledgerSchema.safeParse(raw);
    if (!parsed.success || parsed.data.target !== target || parsed.data.worker !== worker) return entries;
    for (const item of parsed.data.files) {
      const entry = entrySchema.safeParse(item);
      if (entry.success) entries.set(entry.data.path, entry.data);
    }
    return entries;
  }

  async record(target: string, worker: string, entries: readonly ReviewEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const file = this.fileOf(target, worker);
    await withFileLock(`${file}.lock`, async () => {
      const current = await this.read(target, worker);
      for (const entry of entries) current.set(entry.path, entry);
      const files = [...current.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      await writeJsonAtomic(file, { version: LEDGER_VERSION, target, worker, files });
    });
  }
}
