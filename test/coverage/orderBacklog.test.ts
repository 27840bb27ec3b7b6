import { describe, expect, it } from 'vitest';
import { nextBacklogSlice, orderBacklog, type BacklogCandidate } from '../../workers/coverage/orderBacklog.js';
import type { ReviewEntry } from '../../workers/coverage/types.js';

const HASH_A = 'a'.repeat(32);
const HASH_B = 'b'.repeat(32);
const candidate = (path: string, hash: string | null = HASH_A, chars = 100): BacklogCandidate => ({ path, chars, hash });
const review = (path: string, reviewedAt: string, hash = HASH_A): ReviewEntry => ({ path, hash, commit: null, whole: true, chars: 100, runId: `run-${path}`, reviewedAt });

describe('orderBacklog', () => {
  it('puts changed files first, then never-reviewed ones in rank order, then the oldest reviews', () => {
    // prepare: ranked r1..r5; r2 changed, r4 unreadable now (hash null) but reviewed, r3 and r5 reviewed at different times
    const ranked = [candidate('r1'), candidate('r2'), candidate('r3'), candidate('r4', null), candidate('r5'), candidate('r6')];
    const ledger = new Map([
      ['r2', review('r2', '2026-12-01T00:00:00.000Z', HASH_B)],
      ['r3', review('r3', '2026-12-03T00:00:00.000Z')],
      ['r4', review('r4', '2026-12-01T00:00:00.000Z')],
      ['r5', review('r5', '2026-12-02T00:00:00.000Z')],
    ]);
    // act
    const backlog = orderBacklog(ranked, ledger);
    // assess
    expect(backlog.items.map((item) => `${item.path}:${item.state}`)).toEqual(['r2:changed', 'r4:changed', 'r1:never', 'r6:never', 'r5:reviewed', 'r3:reviewed']);
    expect(backlog.allReviewed).toBe(false);
  });

  it('says everything is reviewed only when nothing changed and nothing is new', () => {
    const ledger = new Map([['a', review('a', '2026-12-01T00:00:00.000Z')]]);
    expect(orderBacklog([candidate('a')], ledger).allReviewed).toBe(true);
    expect(orderBacklog([candidate('a', HASH_B)], ledger).allReviewed).toBe(false);
    expect(orderBacklog([candidate('a'), candidate('b')], ledger).allReviewed).toBe(false);
  });
});

describe('nextBacklogSlice', () => {
  it('takes due files in order while they fit, skips one that does not for smaller ones after it, and never takes reviewed files', () => {
    // prepare: costs are chars + path + 16
    const ranked = [candidate('big', HASH_A, 900), candidate('b', HASH_A, 300), candidate('c', HASH_A, 50), candidate('done')];
    const ledger = new Map([['done', review('done', '2026-12-01T00:00:00.000Z')]]);
    // act
    const slice = nextBacklogSlice(orderBacklog(ranked, ledger), 1_000);
    // assess
    expect(slice.map((item) => item.path)).toEqual(['big', 'c']);
  });

  it('always takes the first due file, even larger than the budget, and nothing when all is reviewed', () => {
    expect(nextBacklogSlice(orderBacklog([candidate('huge', HASH_A, 50_000)], new Map()), 1_000).map((item) => item.path)).toEqual(['huge']);
    const ledger = new Map([['a', review('a', '2026-12-01T00:00:00.000Z')]]);
    expect(nextBacklogSlice(orderBacklog([candidate('a')], ledger), 1_000)).toEqual([]);
  });
});
