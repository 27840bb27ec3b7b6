import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { outputObjectKey } from '../../workers/cloud/index.js';
import type { CloudRunResult } from '../../workers/cloudRuntime/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

/** A repository whose map output (per-directory and largest-file lists) is several kilobytes. */
function wideRepo(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let d = 0; d < 30; d++) for (let f = 0; f < 4; f++) files[`packages/module-${d}/src/file-${f}.ts`] = `export const value${f} = ${d};\n`.repeat(f + 1);
  return files;
}

describe('outputs over the size threshold (claim check)', () => {
  it('keeps the output in S3, points the DynamoDB item at it, and `results` fetches it back', async () => {
    // prepare
    const pipeline = await createTestPipeline(moto.endpoint, { s3ThresholdBytes: 2048 });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo(wideRepo()));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();

    // act
    const triggered = await runCloudCli(pipeline, ['trigger', 'map', '--json']);
    const runId = (JSON.parse(triggered.stdout) as { runIds: string[] }).runIds[0]!;
    await agent.waitForRunFinished(runId);
    const listed = await runCloudCli(pipeline, ['results', 'map']);
    const fetched = await runCloudCli(pipeline, ['results', 'map', '--run', runId, '--json']);

    // assess: the item holds a pointer and stays under the threshold
    const { Item } = await pipeline.clients.documentClient.send(new GetCommand({ TableName: pipeline.tableName, Key: { pk: `RUN#${runId}`, sk: 'RUN' } }));
    expect(Item?.output).toBe('');
    expect(Item?.parsedOutputJson).toBeUndefined();
    expect(Item?.outputLocation).toMatchObject({ bucket: pipeline.bucketName, key: outputObjectKey('map', runId, 1) });
    expect(JSON.stringify(Item).length).toBeLessThan(2048);
    // the object holds the output
    const object = await pipeline.clients.s3.send(new GetObjectCommand({ Bucket: pipeline.bucketName, Key: outputObjectKey('map', runId, 1) }));
    const claimed = JSON.parse(await object.Body!.transformToString()) as { output: string; parsedOutput: { languages: unknown[] } };
    expect(claimed.output.length).toBeGreaterThan(2048);
    expect(Item?.outputLocation.bytes).toBeGreaterThan(2048);
    // the CLI fetches it
    const run = JSON.parse(fetched.stdout) as CloudRunResult;
    expect(fetched.code).toBe(0);
    expect(run.output).toBe(claimed.output);
    expect(run.parsedOutput).toEqual(claimed.parsedOutput);
    expect(listed.stdout).toMatch(new RegExp(`${runId}.*SUCCEEDED.*S3, \\d+ B`));
    expect(listed.stdout).toContain(`output: s3://${pipeline.bucketName}/${outputObjectKey('map', runId, 1)}`);
    expect(listed.stdout).toMatch(/TypeScript +120/);
  });
});
