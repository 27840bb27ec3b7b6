import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { DispatcherError } from '../../cli/cloud/DispatcherInvoker.js';
import { connectToStack } from '../../cli/cloud/resolveDispatcher.js';
import { STACK_OUTPUTS } from '../../workers/cloud/index.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { createTestPipeline, type TestPipeline } from '../helpers/motoPipeline.js';
import { motoClientConfig, motoProcessEnv, useMotoServer } from '../helpers/motoServer.js';

let pipeline: TestPipeline;
const moto = useMotoServer();

describe('the operator CLI\'s cloud commands', () => {
  it('prints the dispatcher\'s refusals with the field and the allowed values, and exits 2', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint);

    // act
    const unknown = await runCloudCli(pipeline, ['trigger', 'nope']);
    const looser = await runCloudCli(pipeline, ['trigger', 'audit', '--sandbox', 'permissive']);
    const badTarget = await runCloudCli(pipeline, ['trigger', 'map', '--target', 'prod']);
    const badLast = await runCloudCli(pipeline, ['results', 'map', '--last', '50']);
    const both = await runCloudCli(pipeline, ['results', 'map', '--last', '2', '--run', '20261125T160102Z-map-3fa9c2e1']);
    const missingRun = await runCloudCli(pipeline, ['results', 'map', '--run', '20261125T160102Z-map-3fa9c2e1']);

    // assess
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('error: worker: unknown worker "nope"\n  allowed: map, audit, optimize, consolidate, testgaps, predict, document, ultralearn, refactor, benchmark, deepdive, preload\n');
    expect(looser.stderr).toBe('error: sandbox: "permissive" would loosen audit\'s sandbox (strict); a run may only keep or tighten it. To loosen it, set workers.audit.sandbox in the operator\'s configuration\n  allowed: strict\n');
    expect(badTarget.stderr).toMatch(/^error: target: unknown target "prod"\n  allowed: demo\n$/);
    expect(badLast.code).toBe(2);
    expect(badLast.stderr).toMatch(/--last <n>' argument '50' is invalid. must be a whole number from 1 to 20/);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with option '--run <id>'/);
    expect(missingRun).toMatchObject({ code: 2, stderr: 'error: runId: no run 20261125T160102Z-map-3fa9c2e1 (never queued, or expired)\n' });
    for (const result of [unknown, looser, badTarget, badLast, both, missingRun]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds the dispatcher from the stack\'s outputs, and says clearly when the stack or function is missing', async () => {
    // prepare
    const cloudformation = new CloudFormationClient(motoClientConfig(moto.endpoint));
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'HeadlessWorkers',
        TemplateBody: JSON.stringify({
          Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
          Outputs: { [STACK_OUTPUTS.dispatcherFunctionName]: { Value: 'HeadlessWorkers-DispatcherFunction-abc123' } },
        }),
      }),
    );
    const saved = { ...process.env };
    // The SDK's own lookup (region, credentials) reads the process environment, as it does for a user.
    Object.assign(process.env, motoProcessEnv(moto.endpoint));
    delete process.env.HW_STACK_NAME;
    delete process.env.HW_DISPATCHER_FUNCTION;

    // act
    let found, missing, invoked;
    try {
      found = await connectToStack({});
      missing = await connectToStack({ stack: 'Elsewhere' }).catch((e: unknown) => e);
      invoked = await found.invoker.invoke({ action: 'status' }).catch((e: unknown) => e);
    } finally {
      process.env = saved;
    }

    // assess
    expect(found.invoker.description).toBe('lambda:HeadlessWorkers-DispatcherFunction-abc123');
    expect(missing).toBeInstanceOf(DispatcherError);
    expect((missing as Error).message).toMatch(/cannot read stack "Elsewhere".*Deploy it with `cdk deploy`, or name it with --stack/);
    expect(invoked).toBeInstanceOf(DispatcherError);
    expect((invoked as Error).message).toMatch(/cannot invoke the dispatcher HeadlessWorkers-DispatcherFunction-abc123: ResourceNotFoundException/);
  });
});
