// How long `report` takes to render, and how large the file gets, on a large synthetic store:
// FINDINGS tracked findings (a fifth with a model-written message that needs masking) and RUNS runs
// over 90 days with context files. Prints figures; asserts nothing.
// Run: npx tsx bench/reportRender.ts [findings] [runs]
import { performance } from 'node:perf_hooks';
import type { FindingRecord } from '../workers/findings/types.js';
import { renderReportHtml, type ReportRun } from '../workers/report/index.js';

const FINDINGS = Number(process.argv[2] ?? 2_000);
const RUNS = Number(process.argv[3] ?? 1_000);
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const STATES = ['new', 'open', 'returned', 'suppressed', 'fixed'] as const;
const start = Date.parse('2026-09-01T00:00:00Z');

const findings: FindingRecord[] = Array.from({ length: FINDINGS }, (_, i) => ({
  fingerprint: i.toString(16).padStart(20, '0'),
  ruleId: ['sql-injection', 'js-eval', 'hardcoded-secret', 'aws-access-key-id'][i % 4]!,
  severity: SEVERITIES[i % 5]!,
  file: `src/module${i % 120}/file${i % 37}.ts`,
  line: (i % 400) + 1,
  message: i % 5 === 0 ? `The model quoted token ghp_${'Zq7Xw2Lm9Pv4Rt6Yu8Io1As3Df5Gh0Jk2L'}${i % 10} in this message.` : 'SQL built by string concatenation or interpolation: use parameterised queries',
  evidence: "'SELECT * FROM users WHERE name = ' + name",
  target: 'api',
  worker: 'audit',
  state: STATES[i % 5]!,
  detectedBy: 'headless',
  firstSeen: new Date(start + (i % 80) * 86_400_000).toISOString(),
  lastSeen: new Date(start + 85 * 86_400_000).toISOString(),
  runCount: 3,
  latestRunId: 'x',
}));
const runs: ReportRun[] = Array.from({ length: RUNS }, (_, i) => {
  const at = new Date(start + (i / RUNS) * 90 * 86_400_000).toISOString();
  return {
    runId: `r${i}`, worker: ['audit', 'testgaps', 'map'][i % 3]!, target: 'api', mode: 'headless', status: i % 17 === 0 ? 'FAILED' : 'SUCCEEDED',
    startedAt: at, finishedAt: at, durationMs: 60_000, tokens: { input: 30_000, output: 1_000, cacheRead: 0, cacheCreation: 0 }, costUsd: 0.02, model: 'claude-haiku-4-5',
    violations: i % 50 === 0 ? [{ tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: curl example.com' }] : [],
    ...(i % 3 === 0 ? { findingSummary: { new: 2, returned: 0, fixed: 1, open: 40, suppressed: 3 } } : {}),
    context: { files: Array.from({ length: 40 }, (_, f) => ({ path: `src/module${(i + f) % 120}/file${f}.ts`, chars: 3_000, truncated: f % 7 === 0 })) },
  };
});

renderReportHtml({ title: 'warm-up', source: 'synthetic', generatedAt: new Date(), runs: runs.slice(0, 10), findings: findings.slice(0, 10) });
const t0 = performance.now();
const html = renderReportHtml({ title: 'api', source: 'synthetic', generatedAt: new Date(), runs, findings });
const ms = performance.now() - t0;
console.log(`report of ${FINDINGS} findings and ${RUNS} runs: rendered in ${ms.toFixed(0)} ms, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, secrets left unmasked: ${html.includes('ghp_Zq7Xw2') ? 'YES' : 'none'}`);
