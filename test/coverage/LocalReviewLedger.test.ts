import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalReviewLedger } from '../../workers/coverage/LocalReviewLedger.js';
import type { ReviewEntry } from '../../workers/coverage/types.js';

const entry = (file: string, extra: Partial<ReviewEntry> = {}): ReviewEntry => ({
  path: file,
  hash: 'c'.repeat(32),
  commit: 'd'.repeat(40),
  whole: true,
  chars: 120,
  runId: 'run-1',
  reviewedAt: '2026-12-05T06:00:00.000Z',
  ...extra,
});

describe('LocalReviewLedger', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'hw-ledger-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps entries per (target, worker) across instances; a later record replaces a path and keeps the others', async () => {
    // act
    await new LocalReviewLedger(stateDir).record('api', 'audit', [entry('src/a.ts'), entry('src/b.ts')]);
    await new LocalReviewLedger(stateDir).record('api', 'audit', [entry('src/a.ts', { runId: 'run-2', whole: false, chars: 40 })]);
    // assess
    const read = await new LocalReviewLedger(stateDir).read('api', 'audit');
    expect([...read.keys()].sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(read.get('src/a.ts')).toMatchObject({ runId: 'run-2', whole: false, chars: 40 });
    expect((await new LocalReviewLedger(stateDir).read('api', 'optimize')).size).toBe(0);
    expect((await new LocalReviewLedger(stateDir).read('web', 'audit')).size).toBe(0);
  });

  it('reads its file as untrusted data: invalid entries are dropped, a broken or foreign file reads as empty', async () => {
    // prepare
    const ledger = new LocalReviewLedger(stateDir);
    await ledger.record('api', 'audit', [entry('src/a.ts')]);
    const file = ledger.fileOf('api', 'audit');
    const stored = JSON.parse(await readFile(file, 'utf8'));
    stored.files.push({ ...entry('src/evil.ts'), hash: 'not-a-hash' }, { ...entry('src/x.ts'), chars: -1 }, 'text', null);
    await writeFile(file, JSON.stringify(stored));
    // act + assess: only the valid entry survives
    expect([...(await ledger.read('api', 'audit')).keys()]).toEqual(['src/a.ts']);
    // a file naming another (target, worker), or not JSON, reviews nothing
    await writeFile(file, JSON.stringify({ ...stored, target: 'other' }));
    expect((await ledger.read('api', 'audit')).size).toBe(0);
    await writeFile(file, '{ not json');
    expect((await ledger.read('api', 'audit')).size).toBe(0);
    // and a record over a broken file starts afresh
    await ledger.record('api', 'audit', [entry('src/b.ts')]);
    expect([...(await ledger.read('api', 'audit')).keys()]).toEqual(['src/b.ts']);
  });
});
