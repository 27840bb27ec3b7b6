import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fingerprintFindings,
  findingsOf,
  LocalFindingStore,
  parseSuppressions,
  REPOSITORY_SCOPE,
  trackRunFindings,
  type FindingRecord,
} from '../../workers/findings/index.js';
import { renderFindingTable } from '../../cli/commands/findingsCommand.js';
import { sarifForFindings, sarifForRun, writeSarif } from '../../workers/findings/sarif/index.js';
import type { RunResult } from '../../workers/run/types.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { LEARN_FIRST, LEARN_SECOND, PREDICT_FIRST, PREDICT_REPO, PREDICT_SECOND } from '../helpers/predictLearnOutputs.js';
import { runResultOf } from '../helpers/runResultFixture.js';
import { validateSarif } from '../helpers/sarifValidator.js';

let repo: string;
let stateDir: string;
beforeEach(async () => {
  repo = await makeRepo(PREDICT_REPO);
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'hw-worker-findings-'));
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

const predictRun = (output: unknown, runId: string, overrides: Partial<RunResult> = {}) =>
  runResultOf(output, { worker: 'predict', target: 'shop', runId, finishedAt: `2026-11-2${runId.slice(-1)}T10:00:00.000Z`, ...overrides });
const learnRun = (output: unknown, runId: string, overrides: Partial<RunResult> = {}) => predictRun(output, runId, { worker: 'ultralearn', ...overrides });
const fingerprintsByKey = async (run: RunResult, key: (f: { file: string; message: string }) => string) =>
  Object.fromEntries((await fingerprintFindings(repo, findingsOf(run)!)).map((f) => [key(f), f.fingerprint]));

describe('predict output as findings', () => {
  it('gives one finding per predicted file, rated below its highest likelihood, worded from every prediction that names it', () => {
    const findings = findingsOf(predictRun(PREDICT_FIRST, 'r1'))!;

    expect(findings.map((f) => [f.ruleId, f.file, f.severity, f.line])).toEqual([
      ['predicted-risk', 'src/payments/retry.ts', 'medium', 0],
      ['predicted-risk', 'src/payments/client.ts', 'medium', 0],
      ['predicted-risk', 'src/auth/session.ts', 'low', 0],
    ]);
    expect(findings[2]!.message).toBe('Likelihood medium. Session handling: A FIXME about clock skew sits next to the expiry check. Suggested: Allow a skew margin and test it');
    expect(findingsOf(predictRun({ summary: 'x', predictions: [] }, 'r1'))).toEqual([]);
    expect(findingsOf(predictRun('not json', 'r1'))).toBeNull();
  });

  it('keeps each file’s fingerprint when the model rewords, reorders and re-rates, and lines move in the file', async () => {
    const first = await fingerprintsByKey(predictRun(PREDICT_FIRST, 'r1'), (f) => f.file);
    const retry = path.join(repo, 'src/payments/retry.ts');
    await writeFile(retry, `// Copyright header\n\n${await readFile(retry, 'utf8')}`);

    const second = await fingerprintsByKey(predictRun(PREDICT_SECOND, 'r2'), (f) => f.file);

    expect(second['src/payments/retry.ts']).toBe(first['src/payments/retry.ts']);
    expect(second['src/payments/client.ts']).toBe(first['src/payments/client.ts']);
    expect(new Set(Object.values(first)).size).toBe(3);
    expect(Object.values(first)).not.toContain(second['src/reports/export.ts']);
  });

  it('tracks hot spots across runs: one fixed, one new, the rest open', async () => {
    const store = new LocalFindingStore(stateDir);
    const track = (run: RunResult) => trackRunFindings({ result: run, repoDir: repo, store, suppressions: [], now: new Date('2026-11-25T10:00:00Z') });

    const first = await track(predictRun(PREDICT_FIRST, 'r1'));
    const second = await track(predictRun(PREDICT_SECOND, 'r2'));

    expect(first?.summary).toEqual({ new: 3, returned: 0, fixed: 0, open: 0, suppressed: 0 });
    expect(second?.summary).toEqual({ new: 1, returned: 0, fixed: 1, open: 2, suppressed: 0 });
    const records = (await store.load('shop', 'predict')).records;
    expect(records.map((r) => `${r.state}:${r.file}`).sort()).toEqual(['fixed:src/auth/session.ts', 'new:src/reports/export.ts', 'open:src/payments/client.ts', 'open:src/payments/retry.ts']);
    expect(records.find((r) => r.file === 'src/payments/retry.ts')).toMatchObject({ severity: 'low', runCount: 2, message: expect.stringContaining('Retries in the payments module') });
    const table = renderFindingTable(records, { width: 200, color: false, interactive: false });
    expect(table).toMatch(/^new +low +src\/reports\/export\.ts +predicted-risk /m);
    expect(table).not.toContain(':0 ');
  });
});

describe('ultralearn output as findings', () => {
  it('gives one repository-wide finding per convention and per glossary term', () => {
    const findings = findingsOf(learnRun(LEARN_FIRST, 'r1'))!;

    expect(findings.map((f) => `${f.ruleId}:${f.subject}`)).toEqual([
      'learned-convention:Error handling',
      'learned-convention:File naming',
      'learned-convention:Logging',
      'glossary-term:Tenant',
      'glossary-term:Charge',
    ]);
    expect(findings.every((f) => f.file === REPOSITORY_SCOPE && f.line === 0 && f.severity === 'info')).toBe(true);
    expect(findings[0]).toMatchObject({ message: 'Error handling: Functions return Result objects instead of throwing', evidence: 'src/payments/client.ts: charge() returns a Result' });
  });

  it('keeps fingerprints when names, descriptions and examples are reworded; different items never share one', async () => {
    const bySubject = (f: { message: string }) => f.message.split(':')[0]!;
    const first = await fingerprintsByKey(learnRun(LEARN_FIRST, 'r1'), bySubject);
    const second = await fingerprintsByKey(learnRun(LEARN_SECOND, 'r2'), bySubject);

    expect(second['Error-handling style']).toBe(first['Error handling']);
    expect(second['Naming of files']).toBe(first['File naming']);
    expect(second.tenants).toBe(first.Tenant);
    expect(second.charge).toBe(first.Charge);
    expect(new Set(Object.values(first)).size).toBe(5);
  });

  it('marks a convention fixed only after a complete run that looked at the whole repository', async () => {
    const store = new LocalFindingStore(stateDir);
    const track = (run: RunResult) => trackRunFindings({ result: run, repoDir: repo, store, suppressions: [], now: new Date('2026-11-25T10:00:00Z') });
    const logging = (records: readonly FindingRecord[]) => records.find((r) => r.message.startsWith('Logging'))?.state;

    await track(learnRun(LEARN_FIRST, 'r1'));
    const incremental = await track(learnRun(LEARN_SECOND, 'r2', { scan: { kind: 'incremental', headCommit: 'b'.repeat(40), baseCommit: 'a'.repeat(40), changedFiles: 1, reason: 'incremental' } }));
    const afterIncremental = logging((await store.load('shop', 'ultralearn')).records);
    const full = await track(learnRun(LEARN_SECOND, 'r3', { scan: { kind: 'full', headCommit: 'c'.repeat(40), reason: 'a baseline is due' } }));

    expect(incremental?.summary).toEqual({ new: 0, returned: 0, fixed: 0, open: 4, suppressed: 0 });
    expect(afterIncremental).toBe('new');
    expect(renderFindingTable((await store.load('shop', 'ultralearn')).records, { width: 200, color: false, interactive: false })).toMatch(/^open +info +\(repository\) +learned-convention /m);
    expect(full?.summary).toMatchObject({ fixed: 1, open: 4 });
    expect(logging((await store.load('shop', 'ultralearn')).records)).toBe('fixed');
  });

  it('applies rule suppressions: `rule:*` covers repository-wide items, a path pattern covers predicted files', async () => {
    const store = new LocalFindingStore(stateDir);
    const suppressions = parseSuppressions(['glossary-term:* the glossary is informational', 'predicted-risk:src/payments/** owned by another team', 'learned-convention:src/** a path pattern does not name the repository'].join('\n'), 'test');
    const track = (run: RunResult) => trackRunFindings({ result: run, repoDir: repo, store, suppressions, now: new Date('2026-11-25T10:00:00Z') });

    const learned = await track(learnRun(LEARN_FIRST, 'r1'));
    const predicted = await track(predictRun(PREDICT_FIRST, 'r1'));

    expect(learned?.summary).toMatchObject({ new: 3, suppressed: 2 });
    expect(predicted?.summary).toMatchObject({ new: 1, suppressed: 2 });
    expect((await store.load('shop', 'ultralearn')).records.filter((r) => r.state === 'suppressed').map((r) => r.suppression?.source)).toEqual(['test:1', 'test:1']);
  });
});

describe('SARIF of predict and ultralearn (sarif-multitool validate)', () => {
  it('exports runs and tracked findings that the official validator accepts; repository-wide items get a logical location', async () => {
    const store = new LocalFindingStore(stateDir);
    for (const run of [predictRun(PREDICT_FIRST, 'r1'), learnRun(LEARN_FIRST, 'r1')]) {
      await trackRunFindings({ result: run, repoDir: repo, store, suppressions: [], now: new Date('2026-11-25T10:00:00Z') });
    }
    const logs = {
      'predict.sarif': sarifForRun(predictRun(PREDICT_FIRST, 'r1'), { toolVersion: '0.1.0' }),
      'ultralearn.sarif': sarifForRun(learnRun(LEARN_FIRST, 'r1'), { toolVersion: '0.1.0' }),
      'open.sarif': sarifForFindings((await store.list()).flatMap((set) => set.records), { toolVersion: '0.1.0' }),
    };

    for (const [name, log] of Object.entries(logs)) {
      const file = path.join(stateDir, name);
      await writeSarif(log, file);
      const validation = await validateSarif(file);
      expect(validation.errors, `${name}:\n${validation.report}`).toEqual([]);
    }

    expect(logs['predict.sarif'].runs[0]!.results.map((r) => r.locations[0]!.physicalLocation!.artifactLocation.uri)).toEqual(['src/payments/retry.ts', 'src/payments/client.ts', 'src/auth/session.ts']);
    expect(logs['ultralearn.sarif'].runs[0]!.results).toHaveLength(5);
    expect(logs['ultralearn.sarif'].runs[0]!.tool.driver.rules.map((rule) => [rule.id, rule.name, rule.properties?.tags[0]])).toEqual([['learned-convention', 'LearnedConvention', 'convention'], ['glossary-term', 'GlossaryTerm', 'glossary']]);
    expect(logs['predict.sarif'].runs[0]!.tool.driver.rules[0]).toMatchObject({ id: 'predicted-risk', defaultConfiguration: { level: 'warning' } });
    expect(logs['ultralearn.sarif'].runs[0]!.results[0]!.locations[0]).toEqual({ logicalLocations: [{ name: 'repository', kind: 'module' }] });
    expect(logs['open.sarif'].runs.map((run) => [run.automationDetails?.id, run.results.length])).toEqual([['predict/shop/', 3], ['ultralearn/shop/', 5]]);
    expect(logs['open.sarif'].runs.flatMap((run) => run.results).every((r) => /^[0-9a-f]{20}$/.test(Object.values(r.partialFingerprints ?? {})[0] ?? ''))).toBe(true);
  }, 120_000);
});
