import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE, readIgnorePatterns, WORKER_DOCKERFILE, WORKER_DOCKERIGNORE } from '../../infra/constructs/WorkerImage.js';
import { REPO_ROOT } from '../../infra/HeadlessWorkersStack.js';
import { runCdk, type CdkRun } from './helpers/runCdk.js';

describe('`cdk synth` offline, as a user runs it', () => {
  let outdir: string;
  let good: CdkRun;
  let bad: CdkRun;
  let bedrockWithEnv: CdkRun;
  let noTargets: CdkRun;

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(os.tmpdir(), 'hw-cdk-synth-'));
    // A deployment needs something to analyse: the user's config file names the targets.
    const config = path.join(outdir, 'headless-workers.config.json');
    writeFileSync(config, JSON.stringify({ targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: 'team/git-token' } }] }));
    const withConfig = ['-c', `configFile=${config}`];
    [good, bad, bedrockWithEnv, noTargets] = await Promise.all([
      runCdk(['synth', '--quiet', '--output', path.join(outdir, 'good'), ...withConfig]),
      runCdk(['synth', '--quiet', '--output', path.join(outdir, 'bad'), ...withConfig, '-c', 'deploy={"auth":{"mode":"keyless"},"logRetentionDays":10}']),
      // As `cdk deploy` runs it: the CLI gives the app the caller's account and region (issue 14:
      // Bedrock failed cdk-nag only then; the CLI takes the region from AWS_REGION). An imported VPC
      // needs no availability-zone lookup offline.
      runCdk(
        [
          'synth', '--quiet', '--output', path.join(outdir, 'bedrock'), ...withConfig,
          '-c', 'deploy={"auth":{"mode":"bedrock"},"vpc":{"mode":"import","vpcId":"vpc-0123456789abcdef0","subnetIds":["subnet-0aaaaaaaaaaaaaaaa"],"assignPublicIp":true}}',
        ],
        120_000,
        { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-west-1' },
      ),
      runCdk(['synth', '--quiet', '--output', path.join(outdir, 'none')]),
    ]);
  }, 240_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('succeeds with cdk-nag registered, bundling the dispatcher with esbuild', () => {
    expect(good.code, good.stderr).toBe(0);
    const assembly = path.join(outdir, 'good');
    const template = JSON.parse(readFileSync(path.join(assembly, 'HeadlessWorkers.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition')).toHaveLength(3);
    const assets = JSON.parse(readFileSync(path.join(assembly, 'HeadlessWorkers.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
      dockerImages: Record<string, { source: { directory: string; dockerFile: string; dockerBuildArgs: Record<string, string>; platform: string } }>;
    };
    const bundles = Object.values(assets.files).filter((f) => f.source.packaging === 'zip');
    expect(bundles).toHaveLength(1);
    const bundle = readFileSync(path.join(assembly, bundles[0]!.source.path, 'index.mjs'), 'utf8');
    // Minified: long lines (a readable bundle averages well under 100 characters a line).
    const averageLine = bundle.length / bundle.split('\n').length;
    expect(averageLine).toBeGreaterThan(1000);
    expect(bundle.startsWith("import { createRequire as __hwCreateRequire } from 'node:module'")).toBe(true);
  });

  it('stages the worker image with Claude Code pinned to package.json and only the files the build needs', () => {
    const assets = JSON.parse(readFileSync(path.join(outdir, 'good', 'HeadlessWorkers.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string; dockerBuildArgs: Record<string, string>; platform: string } }>;
    };
    const images = Object.values(assets.dockerImages);
    expect(images).toHaveLength(1);
    const image = images[0]!.source;
    const pinned = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@anthropic-ai/claude-code'];
    expect(image.dockerBuildArgs).toEqual({ CLAUDE_CODE_VERSION: pinned, NODE_IMAGE: DEFAULT_NODE_IMAGE });
    expect(image.dockerFile).toBe(WORKER_DOCKERFILE);
    expect(image.platform).toBe('linux/arm64');
    const staged = readdirSync(path.join(outdir, 'good', image.directory)).sort();
    const allowed = readIgnorePatterns(path.join(REPO_ROOT, WORKER_DOCKERIGNORE)).filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    expect(staged.every((entry) => allowed.includes(entry)), staged.join(', ')).toBe(true);
    expect(staged).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'workers', 'container']));
    expect(existsSync(path.join(outdir, 'good', image.directory, WORKER_DOCKERFILE))).toBe(true);
  });

  it('stops on a bad deploy value with a message naming each field and what is allowed, and no stack trace', () => {
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('deploy.auth.mode: must be one of api-key, bedrock (got "keyless")');
    expect(bad.stderr).toContain('deploy.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30');
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  it('succeeds for Bedrock with the account and region set (cdk-nag clean), with inference profiles of the region', () => {
    expect(bedrockWithEnv.code, bedrockWithEnv.stderr).toBe(0);
    const template = readFileSync(path.join(outdir, 'bedrock', 'HeadlessWorkers.template.json'), 'utf8');
    expect(template).toContain('"arn:aws:bedrock:*:123456789012:inference-profile/*.anthropic.*"');
    expect(template).toContain('"eu.anthropic.claude-haiku-5-5"');
    expect(template).toContain('"arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/git-token-??????"');
  });

  it('stops when no target is configured, saying how to add one', () => {
    expect(noTargets.code).not.toBe(0);
    expect(noTargets.stderr).toContain('targets: no repository to analyse: add at least one target');
    expect(noTargets.stderr).not.toMatch(/^\s+at /m);
  });

  it('takes a few seconds, not minutes', () => {
    expect(good.seconds).toBeLessThan(60);
  });
});
