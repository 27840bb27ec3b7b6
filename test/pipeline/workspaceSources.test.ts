import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { buildTarball } from '../container/workspace/tarball.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { countQueuedMessages, createTestPipeline, SNAPSHOT_BUCKET } from '../helpers/motoPipeline.js';
import { reconcileUntil } from '../helpers/reconcileLoop.js';
import { motoClientConfig, useMotoServer } from '../helpers/motoServer.js';

let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

/** A git repository to clone over file:// (the tests' stand-in for an https remote). */
function gitRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hw-remote-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(path.join(dir, 'main.py'), 'print("hello")\n');
  git('add', '.');
  git('commit', '-qm', 'init');
  return dir;
}

describe('workspaces of the targets', () => {
  it('clones a git target with its token from Secrets Manager, and records refused or missing snapshots as FAILED without retrying them', async () => {
    // prepare
    const secrets = new SecretsManagerClient(motoClientConfig(moto.endpoint));
    const secret = await secrets.send(new CreateSecretCommand({ Name: 'hw/git-token', SecretString: JSON.stringify({ token: 'ghp_notARealToken000', username: 'x-access-token' }) }));
    const pipeline = await createTestPipeline(moto.endpoint, {
      config: {
        targets: [
          { name: 'cloned', git: { url: `file://${gitRepo()}`, branch: 'main', tokenSecretArn: secret.ARN } },
          { name: 'hostile', s3: { bucket: SNAPSHOT_BUCKET, key: 'hostile.tar.gz' } },
          { name: 'missing', s3: { bucket: SNAPSHOT_BUCKET, key: 'missing.tar.gz' } },
        ],
      },
      concurrency: { local: 1 },
    });
    await pipeline.clients.s3.send(new PutObjectCommand({ Bucket: SNAPSHOT_BUCKET, Key: 'hostile.tar.gz', Body: buildTarball([{ name: 'ok.ts', content: 'x' }, { name: '../../etc/cron.d/evil', content: '* * * * * root sh' }]) }));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map'] });

    // act
    const { runIds } = (await pipeline.dispatch({ worker: 'map' })) as DispatchResponse;
    // A task serves one target and the cap is 1: the other targets' tasks start on later reconcile ticks.
    await reconcileUntil(pipeline, agent, async () => (await countQueuedMessages(pipeline)) === 0, 60_000, 'every target\'s run consumed');
    for (const runId of runIds) await agent.waitForRunFinished(runId);
    const runs = (await Promise.all(runIds.map((id) => store.getRun(id, { consistent: true })))) as CloudRunResult[];

    // assess
    const byTarget = Object.fromEntries(runs.map((r) => [r.target, r]));
    expect(byTarget.cloned).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect((byTarget.cloned!.parsedOutput as { languages: { language: string }[] }).languages.map((l) => l.language)).toContain('Python');
    expect(byTarget.hostile).toMatchObject({ status: 'FAILED', attempts: 1, error: expect.stringMatching(/snapshot refused: "..\/..\/etc\/cron.d\/evil" climbs out of the workspace/) });
    expect(byTarget.missing).toMatchObject({ status: 'FAILED', attempts: 1, error: expect.stringMatching(/snapshot s3:\/\/hw-test-snapshots\/missing.tar.gz of target "missing" does not exist/) });
    // Permanent failures are not retried: every message is deleted once its FAILED record is stored.
    await agent.waitUntilIdle(20_000);
    const { Attributes } = await pipeline.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: pipeline.queueUrls.local.normal, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    expect(JSON.stringify(agent.logLines())).not.toContain('ghp_notARealToken000');
  });
});
