import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { startFakeModelServer } from '../fake-model/index.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';

/**
 * Hostile case: the model (steered by the repository it reads, or simply
 * wrong) reports findings about files that do not exist, outside the
 * repository, or past a file's end. Before the fix they were tracked as new
 * and exported; now they are dropped and the record says why.
 */
describe('model findings about files that are not there (real Claude Code, fake model API)', () => {
  const t = useClaudeTestBed(VULNERABLE_APP);

  it('drops them with a note in the record and tracks only the real one', async () => {
    // Prepare
    const answer = {
      summary: 'Four findings.',
      findings: [
        { ruleId: 'sql-injection', severity: 'high', file: 'src/db.ts', line: 4, message: 'Query built by concatenation' },
        { ruleId: 'hardcoded-secret', severity: 'critical', file: 'src/secrets.ts', line: 1, message: 'Invented file' },
        { ruleId: 'path-traversal', severity: 'high', file: '../../etc/passwd', line: 1, message: 'Outside the repository' },
        { ruleId: 'xss', severity: 'medium', file: 'src/index.ts', line: 400, message: 'Past the end of a 4-line file' },
        // A model may not hide a production finding by labelling it a test.
        { ruleId: 'js-eval', severity: 'high', file: 'src/index.ts', line: 3, message: 'Labelled away', context: 'test' },
      ],
    };
    t.server = await startFakeModelServer({ reply: [{ kind: 'structuredOutput', value: answer }] });
    const state = await openLocalState(t.bed.workspace, path.join(t.bed.root, 'state'));
    const engine = new WorkerEngine({
      config: parseConfig({}),
      store: state.store,
      findingStore: state.findingStore,
      stateDir: state.stateDir,
      env: { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN },
    });

    // Act
    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    // Assess
    expect(result.mode).toBe('headless');
    expect(result.status).toBe('SUCCEEDED');
    const kept = (result.parsedOutput as { findings: { file: string; context?: string }[] }).findings;
    expect(kept.map((finding) => finding.file)).toEqual(['src/db.ts', 'src/index.ts']);
    expect(kept.every((finding) => finding.context === undefined)).toBe(true);
    expect(result.rejectedFindings).toEqual({
      count: 3,
      byReason: { 'file not in the repository': 2, 'line past the end of the file': 1 },
      note: '3 findings rejected: 2 file not in the repository, 1 line past the end of the file',
    });
    const [tracked] = await state.findingStore.list();
    expect(tracked?.records.map((record) => record.file).sort()).toEqual(['src/db.ts', 'src/index.ts']);
    expect(result.findingSummary?.new).toBe(2);
  });
});
