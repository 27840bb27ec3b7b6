import { describe, expect, it } from 'vitest';
import { DynamoFindingStore, DynamoResultStore, isFinalRun, type CloudRunResult } from '../../workers/cloudRuntime/index.js';
import { ENV } from '../../workers/cloud/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { observeFindingEvents } from '../helpers/motoFindingEvents.js';
import { createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

const SLACK = 'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F';
const GITHUB = 'ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8';
const CONFIG = ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", `export const slack = '${SLACK}';`, ''].join('\n');
const DB = ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n');

let pipeline: TestPipeline;
let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

describe('tracked findings through the task runner', () => {
  it('audits a snapshot twice: the second record says 1 new, 1 fixed, 2 open; the table holds the set; the bus got the new findings', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { profiles: ['strict'] });
    const events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs);
    agent = new FargateAgent({
      endpoint: moto.endpoint,
      ecs: pipeline.clients.ecs,
      clusterArn: pipeline.clusterArn,
      // No Claude Code in the task: audit runs its local analysis, which reports findings.
      extraEnv: () => ({ HW_CLAUDE_BIN: '/nonexistent/claude', [ENV.findingsEventBus]: events.busName }),
    });
    await agent.start();
    const results = new DynamoResultStore({
      documentClient: pipeline.clients.documentClient,
      s3: pipeline.clients.s3,
      tableName: pipeline.tableName,
      bucketName: pipeline.bucketName,
      s3ThresholdBytes: 65_536,
      workers: ['audit'],
    });
    const runAudit = async (files: Record<string, string>, requestId: string): Promise<CloudRunResult> => {
      await uploadSnapshot(pipeline.clients.s3, await makeRepo(files));
      const response = (await pipeline.dispatch({ worker: 'audit', target: 'demo' }, { awsRequestId: requestId })) as unknown as { runIds: string[] };
      const runId = response.runIds[0]!;
      await agent!.waitForRunFinished(runId, 60_000);
      const run = await results.getRun(runId, { consistent: true });
      if (!run || !isFinalRun(run)) throw new Error(`run ${runId} is ${run?.status}`);
      return run;
    };

    // act
    const first = await runAudit({ 'src/config.ts': CONFIG, 'src/db.ts': DB }, 'req-findings-1');
    const firstEvents = await events.drain();
    const second = await runAudit(
      {
        'src/config.ts': CONFIG.split('\n').filter((line) => !line.includes('xoxb')).join('\n'),
        'src/db.ts': `// moved down by a comment\n\n${DB}`,
        'src/more.ts': `export const gh = "${GITHUB}";\n`,
      },
      'req-findings-2',
    );
    const secondEvents = await events.drain();

    // assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', mode: 'local', profile: 'strict', findingSummary: { new: 3, fixed: 0 } });
    expect(second.findingSummary).toEqual({ new: 1, returned: 0, fixed: 1, open: 2, suppressed: 0 });
    const set = await new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName }).load('demo', 'audit');
    expect(set.lastRunId).toBe(second.runId);
    expect(set.records.map((r) => `${r.state}:${r.ruleId}`).sort()).toEqual(['fixed:slack-token', 'new:github-pat', 'open:aws-access-key-id', 'open:sql-injection']);
    expect(firstEvents).toHaveLength(3);
    expect(secondEvents.map((e) => `${e['detail-type']}:${String(e.detail.ruleId)}`)).toEqual(['Finding New:github-pat']);
    expect(JSON.stringify(secondEvents)).not.toContain(GITHUB);
  }, 150_000);
});
