import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer } from '../fake-model/index.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { runCli } from '../helpers/cliProcess.js';

/*
 * Issue 12, local findings chained into the prompt: the real CLI runs a real
 * Claude Code against the fake model server, which records what it was sent.
 * The flagged line is deep in a file far larger than the budget and carries
 * none of the context's own signals (a string timer): only the local audit's
 * hit can bring its region into the prompt.
 */

const FLAGGED_LINE = 2400;
const TOTAL_LINES = 3000;
const timer = 'setTimeout(`refresh(${widgetId})`, 100)';
const scheduler = Array.from({ length: TOTAL_LINES }, (_, i) => (i + 1 === FLAGGED_LINE ? `  ${timer}\n` : `const slot${i} = ${i} * 2; // plain arithmetic\n`)).join('');

describe('the local audit steers the audit prompt', () => {
  const t = useClaudeTestBed({ 'src/scheduler.js': scheduler, 'src/a.test.js': `  ${timer}\n`, 'README.md': '# app\n' });

  it('lists the production hit for the model to check and sends the region around it, with its line numbers', async () => {
    // prepare
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: { summary: 'nothing', findings: [] } }) });
    const env = { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN };
    // act
    const result = await runCli(['run', 'audit', '--repo', t.bed.workspace, '--state-dir', path.join(t.bed.root, 'state'), '--headless', '--json'], { env, timeoutMs: 120_000 });
    // assess
    expect(result.code, result.stderr).toBe(0);
    const sent = t.server.mainRequests().map((request) => request.rawBody).join('\n');
    expect(sent).toContain(`src/scheduler.js:${FLAGGED_LINE} js-string-timer (medium)`);
    expect(sent).toContain(timer);
    const regions = [...sent.matchAll(/==> src\/scheduler\.js <== \(lines (\d+)-(\d+) of 3000\)/g)].map((match) => [Number(match[1]), Number(match[2])]);
    expect(regions.some(([start, end]) => start! <= FLAGGED_LINE && FLAGGED_LINE <= end!)).toBe(true);
    // the test's own hit is counted, not listed
    expect(sent).not.toContain('src/a.test.js:1 js-string-timer');
    expect(sent).toMatch(/1 in tests, docs, examples or translations not listed/);
    // and the run's record counts them
    expect(JSON.parse(result.stdout).context.localFindings).toEqual({ production: 1, listed: 1, notListed: 0, elsewhere: 1 });
  });
});
