import { link, mkdir, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTextHead } from '../files/readTextHead.js';
import { isExpired } from '../run/expiry.js';
import { isRunId } from '../run/runId.js';
import type { RunResult } from '../run/types.js';
import type { ListQuery, RejectedRecord, ResultStore, SaveOutcome } from './ResultStore.js';
import { checkStoredRunRecord } from './storedRunRecord.js';

/**
 * The folder name this product used inside the repository before state moved
 * out of it. It is never read by default now; `openLocalState` only says
 * where the state went when it finds one.
 */
export const LOCAL_STATE_DIR_NAME = '.headless-workers';

/** A record file larger than this is refused unread: the largest outputs go to S3 in the cloud and stay far below locally. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Run records as JSON files: `<dir>/results/<worker>/<runId>.json`. Run ids sort
 * by time, so listing a worker's runs newest first is a directory read. A
 * record is published with link(2), which fails if the name exists: two
 * processes saving the same run cannot both win. Every record read back is
 * checked (regular file, opened without following a link or blocking; its
 * shape; the run its name says; no time in the future) and a record that
 * fails is skipped and kept in `rejectedRecords()` with the reason.
 */
export class LocalResultStore implements ResultStore {
  private readonly resultsDir: string;
  private readonly rejected = new Map<string, RejectedRecord>();

  constructor(
    stateDir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.resultsDir = path.join(stateDir, 'results');
  }

  async save(result: RunResult): Promise<SaveOutcome> {
    const file = this.fileOf(result.worker, result.runId);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(result, null, 2)}\n`);
    try {
      await link(temp, file);
      return { stored: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await this.readRecord(result.worker, result.runId);
      if (!existing) throw error;
      return { stored: false, existing };
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(runId: string): Promise<RunResult | null> {
    if (!isRunId(runId)) return null;
    for (const worker of await this.workers()) {
      const record = await this.readRecord(worker, runId);
      if (record) return isExpired(record, this.clock()) ? null : record;
    }
    return null;
  }

  async list(query: ListQuery = {}): Promise<RunResult[]> {
    const limit = query.limit ?? 20;
    const workers = query.worker ? [query.worker] : await this.workers();
    const files: { worker: string; runId: string }[] = [];
    for (const worker of workers) {
      for (const name of await readdir(path.join(this.resultsDir, worker)).catch(() => [] as string[])) {
        const runId = name.slice(0, -'.json'.length);
        if (name.endsWith('.json') && isRunId(runId)) files.push({ worker, runId });
      }
    }
    files.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    const now = this.clock();
    const results: RunResult[] = [];
    for (const { worker, runId } of files) {
      if (results.length >= limit) break;
      const record = await this.readRecord(worker, runId);
      if (!record || isExpired(record, now)) continue;
      if (query.target && record.target !== query.target) continue;
      if (query.successfulOnly && !record.success) continue;
      results.push(record);
    }
    return results;
  }

  async pruneExpired(now: Date = this.clock()): Promise<number> {
    let pruned = 0;
    for (const worker of await this.workers()) {
      const dir = path.join(this.resultsDir, worker);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const runId = name.slice(0, -'.json'.length);
        if (!name.endsWith('.json') || !isRunId(runId)) continue;
        const record = await this.readRecord(worker, runId);
        if (record && isExpired(record, now)) {
          await rm(path.join(dir, name), { force: true });
          pruned++;
        }
      }
    }
    return pruned;
  }

  private fileOf(worker: string, runId: string): string {
    if (!isRunId(runId) || !/^[A-Za-z0-9_-]+$/.test(worker)) throw new Error(`invalid run id or worker name: ${worker}/${runId}`);
    return path.join(this.resultsDir, worker, `${runId}.json`);
  }

  /** Records found but refused when read (forged, corrupt, dated in the future), with the reason. */
  rejectedRecords(): readonly RejectedRecord[] {
    return [...this.rejected.values()];
  }

  private async workers(): Promise<string[]> {
    const entries = await readdir(this.resultsDir, { withFileTypes: true }).catch(() => []);
    // A linked directory is not a worker's folder: never followed.
    return entries.filter((entry) => entry.isDirectory() && /^[A-Za-z0-9_-]+$/.test(entry.name)).map((entry) => entry.name).sort();
  }

  /** The record stored as `<worker>/<runId>.json`, or null when missing or refused (and then remembered as rejected). */
  private async readRecord(worker: string, runId: string): Promise<RunResult | null> {
    const file = this.fileOf(worker, runId);
    const read = await readTextHead(file, MAX_RECORD_BYTES);
    if (read.kind === 'unreadable' && read.reason === 'ENOENT') return null;
    let verdict;
    if (read.kind !== 'text') verdict = { ok: false as const, reason: read.kind === 'binary' ? 'binary content' : `cannot be read (${read.reason})` };
    else if (read.truncated) verdict = { ok: false as const, reason: `larger than ${MAX_RECORD_BYTES} bytes` };
    else {
      let value: unknown;
      try {
        value = JSON.parse(read.text);
      } catch {
        value = undefined;
      }
      verdict = value === undefined ? { ok: false as const, reason: 'not JSON' } : checkStoredRunRecord(value, { worker, runId }, this.clock());
    }
    if (verdict.ok) return verdict.record;
    this.rejected.set(file, { worker, runId, reason: verdict.reason });
    return null;
  }
}
