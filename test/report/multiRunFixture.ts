import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyRunToFindings, LocalFindingStore, parseSuppressionLine, SUPPRESSIONS_FILE_NAME, type FingerprintedFinding, type FindingRecord, type Suppression } from '../../workers/findings/index.js';
import { NO_TOKENS } from '../../workers/run/constants.js';
import { newRunId } from '../../workers/run/runId.js';
import type { RunResult } from '../../workers/run/types.js';
import { LocalResultStore } from '../../workers/store/index.js';

/** A file name and a message an attacker chose: they must show as text and run nothing. */
export const HOSTILE_FILE = 'src/"><img src=x onerror="window.__pwned=1">.ts';
export const HOSTILE_MESSAGE = 'Injected <script>window.__pwned=2</script> "><img src=x onerror="window.__pwned=3"> text';
/**
 * A credential the model quoted unmasked in a stored message (the engine masks
 * model output; this record plays one written before that or by a buggy
 * writer): the report's own masking must still hide it.
 */
export const UNMASKED_SECRET = `ghp_${'Zq7Xw2Lm9Pv4Rt6Yu8Io1As3Df5Gh0Jk2Lz'}`;

const TARGET = 'shop';
const DAY_MS = 86_400_000;

const finding = (fingerprint: string, overrides: Partial<FingerprintedFinding>): FingerprintedFinding => ({
  fingerprint,
  ruleId: 'hardcoded-secret',
  severity: 'high',
  file: 'src/config.ts',
  line: 1,
  message: 'A credential is assigned as a string literal.',
  ...overrides,
});

const KEY = finding('a0a0a0a0a0a0a0a0a001', { ruleId: 'aws-access-key-id', severity: 'critical', file: 'src/config.ts', line: 2, message: 'AWS access key id: AKIA****************', evidence: "awsAccessKeyId = 'AKIA****************'" });
const SQL = finding('a0a0a0a0a0a0a0a0a002', { ruleId: 'sql-injection', severity: 'high', file: 'src/db.ts', line: 4, message: 'SQL built by string concatenation.', evidence: "'SELECT * FROM users WHERE name = ' + name" });
const HOSTILE = finding('a0a0a0a0a0a0a0a0a003', { ruleId: 'xss<script>', severity: 'medium', file: HOSTILE_FILE, line: 3, message: HOSTILE_MESSAGE });
const LEAK = finding('a0a0a0a0a0a0a0a0a004', { ruleId: 'hardcoded-secret', severity: 'low', file: 'src/more.ts', line: 1, message: `Token ${UNMASKED_SECRET} is committed.` });
const TEST_ONLY = finding('a0a0a0a0a0a0a0a0a005', { ruleId: 'unsafe-eval', severity: 'info', file: 'test/app.test.ts', line: 9, message: 'eval() in a test.', context: 'test' });

/** What each audit run reports; between runs the repository "changes". */
const AUDITS: readonly { daysAgo: number; findings: readonly FingerprintedFinding[]; costUsd: number; violations?: RunResult['violations'] }[] = [
  { daysAgo: 3, findings: [KEY, SQL, HOSTILE, TEST_ONLY], costUsd: 0.0125 },
  { daysAgo: 2, findings: [KEY, HOSTILE, LEAK, TEST_ONLY], costUsd: 0.0475, violations: [{ tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: touch pwned-by-model' }] },
  { daysAgo: 1, findings: [KEY, SQL, HOSTILE, LEAK], costUsd: 0.02 },
];

/** The repository suppresses the hostile finding itself from the second run on (its committed suppressions file). */
const REPOSITORY_SUPPRESSION_LINE = 'a0a0a0a0a0a0a0a0a003 accepted <b>risk</b>';
const REPOSITORY_SUPPRESSION: Suppression = parseSuppressionLine(REPOSITORY_SUPPRESSION_LINE, `${SUPPRESSIONS_FILE_NAME}:1`, 'repository');

/** What the fixture's map run counted per directory: the review coverage is measured against it. */
export const MAP_DIRECTORIES = [
  { path: '.', files: 2 },
  { path: 'lib', files: 6 },
  { path: 'lib/util', files: 4 },
  { path: 'src', files: 12 },
  { path: 'src/routes', files: 5 },
  { path: 'test', files: 3 },
  { path: 'docs', files: 2 },
];

export interface MultiRunFixture {
  readonly repoDir: string;
  readonly stateDir: string;
  readonly target: string;
  readonly runs: readonly RunResult[];
  readonly findings: readonly FindingRecord[];
}

function runRecord(worker: string, at: Date, overrides: Partial<RunResult>): RunResult {
  const finishedAt = new Date(at.getTime() + 42_000);
  return {
    runId: newRunId(worker, at),
    worker,
    target: TARGET,
    mode: 'headless',
    requestedMode: 'headless',
    status: 'SUCCEEDED',
    success: true,
    outputFormat: 'json',
    output: '{}',
    startedAt: at.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: 42_000,
    tokens: { input: 16_000, output: 900, cacheRead: 2_000, cacheCreation: 0 },
    costUsd: 0,
    model: 'claude-haiku-4-5',
    sandboxMode: 'strict',
    numTurns: 3,
    violations: [],
    expiresAt: Math.floor(at.getTime() / 1000) + 30 * 86_400,
    ...overrides,
  };
}

/**
 * A repository's local state after several days of runs, written through the
 * real stores: three headless audits whose findings appear, get fixed, return
 * and get suppressed by the repository (lifecycle by applyRunToFindings, the
 * engine's own), a testgaps run, a local map run and a failed run, with costs
 * on three days, context files in several directories and a sandbox violation.
 *
 * @example const fixture = await writeMultiRunFixture(); // then `report --repo fixture.repoDir --state-dir fixture.stateDir`
 */
export async function writeMultiRunFixture(now = new Date()): Promise<MultiRunFixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'hw-report-'));
  const repoDir = path.join(root, TARGET);
  const stateDir = path.join(root, 'state');
  await mkdir(path.join(repoDir, 'src'), { recursive: true });
  await writeFile(path.join(repoDir, 'src/config.ts'), "export const region = 'eu-west-1';\n");
  await writeFile(path.join(repoDir, SUPPRESSIONS_FILE_NAME), `${REPOSITORY_SUPPRESSION_LINE}\n`);
  const store = new LocalResultStore(stateDir);
  const findingStore = new LocalFindingStore(stateDir);
  const runs: RunResult[] = [];
  const day = (daysAgo: number, hour: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS + hour * 3_600_000);

  for (const [index, audit] of AUDITS.entries()) {
    const at = day(audit.daysAgo, 9);
    const base = runRecord('audit', at, { costUsd: audit.costUsd, ...(audit.violations ? { violations: audit.violations } : {}) });
    const suppressions = index >= 1 ? [REPOSITORY_SUPPRESSION] : [];
    const files = ['src/config.ts', 'src/db.ts', 'src/more.ts', 'src/routes/login.ts', 'lib/util/strings.ts', 'test/app.test.ts', HOSTILE_FILE];
    const set = await findingStore.update(TARGET, 'audit', (current) => {
      const { records } = applyRunToFindings(
        current.records,
        { runId: base.runId, worker: 'audit', target: TARGET, finishedAt: base.finishedAt, mode: 'headless', findings: audit.findings, coverage: { complete: true, files: new Set(files) } },
        suppressions,
        new Date(base.finishedAt),
      );
      return { ...current, lastRunId: base.runId, records };
    });
    const count = (state: string) => set.records.filter((r) => r.state === state).length;
    const moved = (state: string) => set.records.filter((r) => r.state === state && r.latestRunId === base.runId && (state !== 'fixed' || r.fixedAt === base.finishedAt)).length;
    const run: RunResult = {
      ...base,
      findingSummary: { new: moved('new'), returned: moved('returned'), fixed: set.records.filter((r) => r.state === 'fixed' && r.fixedAt === base.finishedAt).length, open: count('open'), suppressed: count('suppressed') },
      context: { files: files.slice(0, 4 + index).map((p, i) => ({ path: p, chars: 1_000 * (i + 1), truncated: i === 1, redactions: 0 })), excluded: [], budgetChars: 120_000, usedChars: 10_000, redactions: 0 },
    };
    await store.save(run);
    runs.push(run);
  }
  const extra = [
    runRecord('testgaps', day(2, 14), { costUsd: 0.125, sandboxMode: 'permissive', model: 'claude-sonnet-4-5', tokens: { input: 40_000, output: 3_000, cacheRead: 0, cacheCreation: 1_000 } }),
    runRecord('map', day(1, 8), { mode: 'local', requestedMode: 'local', model: null, sandboxMode: null, tokens: NO_TOKENS, durationMs: 850, numTurns: 0, parsedOutput: { directories: MAP_DIRECTORIES } }),
    runRecord('audit', day(1, 15), { status: 'FAILED', success: false, costUsd: 0.005, error: 'Claude Code exited 1: <b>rate limited</b>' }),
  ];
  for (const run of extra) {
    await store.save(run);
    runs.push(run);
  }
  const findings = (await findingStore.list()).flatMap((set) => set.records);
  return { repoDir, stateDir, target: TARGET, runs, findings };
}
