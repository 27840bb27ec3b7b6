import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile, withFileLock, writeJsonAtomic } from '../files/index.js';
import type { FindingSet, FindingStore } from './FindingStore.js';

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

/** Findings as `<stateDir>/findings/<target>/<worker>.json`, updated under a lock file. */
export class LocalFindingStore implements FindingStore {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'findings');
  }

  async load(target: string, worker: string): Promise<FindingSet> {
    const stored = (await readJsonFile(this.fileOf(target, worker))) as FindingSet | undefined;
    return stored ?? { target, worker, lastRunId: null, records: [] };
  }

  async update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet> {
    const file = this.fileOf(target, worker);
    return withFileLock(`${file}.lock`, async () => {
      const next = change(await this.load(target, worker));
      await writeJsonAtomic(file, next);
      return next;
    });
  }

  async list(filter: { target?: string; worker?: string } = {}): Promise<FindingSet[]> {
    const targets = filter.target ? [filter.target] : await readdir(this.dir).catch(() => [] as string[]);
    const sets: FindingSet[] = [];
    for (const target of targets.sort()) {
      if (!SAFE_NAME.test(target)) continue;
      const files = await readdir(path.join(this.dir, target)).catch(() => [] as string[]);
      for (const name of files.sort()) {
        if (!name.endsWith('.json')) continue;
        const worker = name.slice(0, -'.json'.length);
        if (filter.worker && filter.worker !== worker) continue;
        sets.push(await this.load(target, worker));
      }
    }
    return sets;
  }

  private fileOf(target: string, worker: string): string {
    if (!SAFE_NAME.test(target) || !SAFE_NAME.test(worker)) throw new Error(`invalid target or worker name: ${target}/${worker}`);
    return path.join(this.dir, target, `${worker}.json`);
  }
}
