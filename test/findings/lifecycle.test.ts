import { describe, expect, it } from 'vitest';
import { applyRunToFindings, parseSuppressions, refreshSuppressions, type FindingRecord, type FingerprintedFinding, type RunCoverage } from '../../workers/findings/index.js';

function finding(fingerprint: string, file = 'src/a.ts'): FingerprintedFinding {
  return { fingerprint, ruleId: 'hardcoded-secret', severity: 'high', file, line: 1, message: 'secret' };
}
const everything = (...files: string[]): RunCoverage => ({ complete: true, files: new Set(files) });

function step(previous: readonly FindingRecord[], runId: string, findings: FingerprintedFinding[], coverage: RunCoverage, suppressionsText = '', now = new Date('2026-11-25T00:00:00Z'), mode: 'local' | 'headless' = 'local') {
  return applyRunToFindings(previous, { runId, worker: 'audit', target: 'api', finishedAt: now.toISOString(), mode, findings, coverage }, parseSuppressions(suppressionsText, 'test'), now);
}
const stateOf = (records: readonly FindingRecord[], fp: string) => records.find((r) => r.fingerprint === fp)?.state;

describe('applyRunToFindings', () => {
  it('moves a finding new → open → fixed → returned → open across runs', () => {
    const a = finding('a'.repeat(20));
    const cover = everything('src/a.ts');
    const r1 = step([], 'r1', [a], cover);
    const r2 = step(r1.records, 'r2', [a], cover);
    const r3 = step(r2.records, 'r3', [], cover);
    const r4 = step(r3.records, 'r4', [a], cover);
    const r5 = step(r4.records, 'r5', [a], cover);

    expect([r1, r2, r3, r4, r5].map((r) => stateOf(r.records, a.fingerprint))).toEqual(['new', 'open', 'fixed', 'returned', 'open']);
    expect(r1.changes.new).toHaveLength(1);
    expect(r3.changes.fixed).toHaveLength(1);
    expect(r3.records[0]?.fixedAt).toBeDefined();
    expect(r4.changes.returned).toHaveLength(1);
    expect(r5.records[0]).toMatchObject({ runCount: 4, latestRunId: 'r5', firstSeen: r1.records[0]!.firstSeen });
  });

  it('never marks fixed a finding whose file the run did not cover, or when the run was partial', () => {
    const a = finding('a'.repeat(20), 'src/a.ts');
    const r1 = step([], 'r1', [a], everything('src/a.ts'));

    const uncovered = step(r1.records, 'r2', [], everything('src/b.ts'));
    const partial = step(r1.records, 'r2', [], { complete: false, files: new Set(['src/a.ts']) });

    expect(stateOf(uncovered.records, a.fingerprint)).toBe('new');
    expect(stateOf(partial.records, a.fingerprint)).toBe('new');
    expect(uncovered.changes.fixed).toHaveLength(0);
  });

  it('lets only a run of the same kind mark a finding fixed: a headless run does not fix a local finding', () => {
    const a = finding('a'.repeat(20));
    const r1 = step([], 'r1', [a], everything('src/a.ts'));

    const headless = step(r1.records, 'r2', [], everything('src/a.ts'), '', new Date('2026-11-25T00:00:00Z'), 'headless');

    expect(stateOf(headless.records, a.fingerprint)).toBe('new');
  });

  it('fixes a finding whose file is gone after a complete run of either kind, even one that covered nothing', () => {
    const a = finding('a'.repeat(20), 'src/a.ts');
    const r1 = step([], 'r1', [a], everything('src/a.ts'));
    const gone: RunCoverage = { complete: true, files: new Set(), goneFiles: new Set(['src/a.ts']) };

    const incrementalHeadless = step(r1.records, 'r2', [], gone, '', new Date('2026-11-25T00:00:00Z'), 'headless');
    const partial = step(r1.records, 'r2', [], { ...gone, complete: false });

    expect(stateOf(incrementalHeadless.records, a.fingerprint)).toBe('fixed');
    expect(incrementalHeadless.changes.fixed).toHaveLength(1);
    expect(stateOf(partial.records, a.fingerprint)).toBe('new');
  });

  it('carries a finding over to the file it moved to when the content fingerprint matches and the old file is gone', () => {
    const old = { ...finding('a'.repeat(20), 'src/a.ts'), contentFingerprint: 'c'.repeat(20) };
    const moved = { ...finding('b'.repeat(20), 'src/b.ts'), contentFingerprint: 'c'.repeat(20) };
    const r1 = step([], 'r1', [old], everything('src/a.ts'));

    const stillThere = step(r1.records, 'r2', [old, moved], everything('src/a.ts', 'src/b.ts'));
    const renamed = step(r1.records, 'r2', [moved], { ...everything('src/b.ts'), goneFiles: new Set(['src/a.ts']) });
    const again = step(renamed.records, 'r3', [moved], everything('src/b.ts'));

    expect(stillThere.records.map((r) => r.state)).toEqual(['open', 'new']);
    expect(renamed.records).toHaveLength(1);
    expect(renamed.records[0]).toMatchObject({ fingerprint: old.fingerprint, file: 'src/b.ts', renamedFrom: 'src/a.ts', state: 'open' });
    expect(again.records).toHaveLength(1);
    expect(again.records[0]).toMatchObject({ fingerprint: old.fingerprint, state: 'open', runCount: 3 });
  });

  it('keeps and counts a suppressed finding, and turns it back on when the suppression expires', () => {
    const a = finding('a'.repeat(20), 'test/fixtures/keys.ts');
    const rules = 'hardcoded-secret:test/fixtures/** until=2026-12-01 fake keys for tests';
    const r1 = step([], 'r1', [a], everything('test/fixtures/keys.ts'), rules);

    expect(r1.records[0]).toMatchObject({ state: 'suppressed', suppression: { reason: 'fake keys for tests', until: '2026-12-01', source: 'test:1' } });
    expect(r1.changes.new).toHaveLength(0);
    expect(r1.changes.suppressed).toBe(1);
    const later = refreshSuppressions(r1.records, parseSuppressions(rules, 'test'), new Date('2026-12-02T00:00:00Z'));
    expect(later[0]?.state).toBe('new');
  });

  it('suppresses by fingerprint too', () => {
    const a = finding('0123456789abcdef0123');
    const r1 = step([], 'r1', [a], everything('src/a.ts'), '0123456789abcdef0123 accepted risk, see ticket 42');

    expect(r1.records[0]?.state).toBe('suppressed');
  });
});

describe('parseSuppressions', () => {
  it('names the line of an invalid entry and the expected syntax', () => {
    expect(() => parseSuppressions('# ok\nhardcoded-secret:test/** reason\nnot-a-selector because\n', 'headless-workers.suppressions')).toThrow(
      /^headless-workers\.suppressions:3: "not-a-selector" is neither a 20-digit fingerprint nor rule:path-pattern/,
    );
    expect(() => parseSuppressions('sql-injection:src/** until=tomorrow x', 'f')).toThrow(/^f:1: "until=tomorrow" is not a date/);
    expect(() => parseSuppressions('sql-injection:src/**', 'f')).toThrow(/^f:1: a reason is required/);
  });
});
