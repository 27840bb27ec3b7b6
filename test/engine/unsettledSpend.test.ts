import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoModelPause, DynamoSpendLedger } from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { SAMPLE_AUDIT, startFakeModelServer } from '../fake-model/index.js';
import { AWS_FAULTS, FaultProxy } from '../helpers/faultProxy.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { createResultsTable } from '../helpers/motoResultsTable.js';
import { useMotoServer } from '../helpers/motoServer.js';

// Issue 14: when the deployment's ledger cannot be settled after Claude Code ran (DynamoDB
// answering 500 to every try, injected by the fault proxy in front of moto), the paid answer is
// kept, the reservation stays held, and the record says so. Real Claude Code, fake model API.

let proxy: FaultProxy | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await proxy?.stop();
    proxy = undefined;
  },
});

describe('a run whose spend cannot be settled', () => {
  const t = useClaudeTestBed(VULNERABLE_APP);

  it('keeps its answer and status, says the ledger was not settled, and leaves its budget reserved', async () => {
    // prepare
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: SAMPLE_AUDIT }) });
    proxy = await FaultProxy.start(moto.endpoint);
    const { tableName, client } = await createResultsTable(proxy.endpoint);
    const ledger = new DynamoSpendLedger({ documentClient: client(), tableName });
    proxy.addRule((call) => (call.operation === 'UpdateItem' && call.body.includes('REMOVE #reservation') ? AWS_FAULTS.dynamoInternalError() : undefined));
    const state = await openLocalState(t.bed.workspace, path.join(t.bed.root, 'state'));
    const engine = new WorkerEngine({
      config: parseConfig({ limits: { dailyUsd: 5 } }),
      store: state.store,
      stateDir: state.stateDir,
      spendLedger: ledger,
      modelPause: new DynamoModelPause({ documentClient: client(), tableName }),
      env: { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN },
    });

    // act
    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    // assess
    expect(result).toMatchObject({ mode: 'headless', status: 'SUCCEEDED', parsedOutput: SAMPLE_AUDIT });
    expect(result.error).toMatch(/^the spend ledger was not settled \(.+\): this run's reservation of \$0\.50 stays counted until the day ends$/);
    expect(proxy.seen({ operation: 'UpdateItem', faulted: true }).length).toBeGreaterThan(0);
    expect(await ledger.summary()).toMatchObject({ reservedUsd: 0.5, runs: 0, launches: 1 });
  });
});
