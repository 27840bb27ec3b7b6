import { link, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isExpired } from '../run/expiry.js';
import { isRunId } from '../run/runId.js';
import type { RunResult } from '../run/types.js';
import type { ListQuery, ResultStore, SaveOutcome } from './ResultStore.js';

/** Folder, inside the target repository, where the embedded default keeps its state. */
export const LOCAL_STATE_DIR_NAME = '.headless-workers';

/**
 * Run records as JSON files: `<dir>/results/<worker>/<runId>.json`. Run ids sort
 * by time, so listing a worker's runs newest first is a directory read. A
 * record is published with link(2), which fails if the name exists: two
 * processes saving the same run cannot both win.
 */
export class LocalResultStore implements ResultStore {
  private readonly resultsDir: string;

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
      const existing = await this.readRecord(file);
      if (!existing) throw error;
      return { stored: false, existing };
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(runId: string): Promise<RunResult | null> {
    if (!isRunId(runId)) return null;
    for (const worker of await this.workers()) {
      const record = await this.readRecord(this.fileOf(worker, runId));
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
        if (name.endsWith('.json')) files.push({ worker, runId: name.slice(0, -'.json'.length) });
      }
    }
    files.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    const now = this.clock();
    const results: RunResult[] = [];
    for (const { worker, runId } of files) {
      if (results.length >= limit) break;
      const record = await this.readRecord(this.fileOf(worker, runId));
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
        const file = path.join(dir, name);
        if (name.endsWith('.tmp')) continue;
        const record = await this.readRecord(file);
        if (record && isExpired(record, now)) {
          await rm(file, { force: true });
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

  private async workers(): Promise<string[]> {
    const entries = await readdir(this.resultsDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  }

  private async readRecord(file: string): Promise<RunResult | null> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as RunResult;
    } catch {
      return null;
    }
  }
}
