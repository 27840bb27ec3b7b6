import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach } from 'vitest';
import { DynamoResultStore } from '../../workers/cloudRuntime/index.js';
import { makeRepo } from './fixtureRepo.js';
import { createTestPipeline, type PipelineOptions, type TestPipeline } from './motoPipeline.js';
import { useMotoServer } from './motoServer.js';

/** Planted secrets the local audit reports (and must never print unmasked). */
export const SLACK_TOKEN = 'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F';
export const GITHUB_TOKEN = 'ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8';
/** A config file with an AWS key id and a Slack token: two secret findings. */
export const AUDIT_CONFIG_FILE = ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", `export const slack = '${SLACK_TOKEN}';`, ''].join('\n');
/** A query built by concatenation: one sql-injection finding. */
export const AUDIT_DB_FILE = ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n');

export interface MotoAuditFixture {
  readonly moto: { readonly endpoint: string };
  /** The emulated stack of the current test. */
  readonly pipeline: TestPipeline;
  /** A repository with src/config.ts and src/db.ts (three findings), removed after the test. */
  readonly repo: string;
  /** An engine state folder, removed after the test. */
  readonly stateDir: string;
}

/**
 * Per test: a fresh emulated stack, the audit fixture repository and a state
 * folder; both folders removed after the test, before moto is reset.
 *
 * @example
 * const fixture = useMotoAuditFixture();
 * it('...', async () => { await engine.run({ worker: 'audit', repoDir: fixture.repo, ... }); });
 */
export function useMotoAuditFixture(options: PipelineOptions = { profiles: ['local'] }): MotoAuditFixture {
  let pipeline: TestPipeline | undefined;
  let repo = '';
  let stateDir = '';
  const moto = useMotoServer({
    beforeReset: async () => {
      await rm(repo, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    },
  });
  beforeEach(async () => {
    pipeline = await createTestPipeline(moto.endpoint, options);
    repo = await makeRepo({ 'src/config.ts': AUDIT_CONFIG_FILE, 'src/db.ts': AUDIT_DB_FILE });
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'hw-audit-state-'));
  });
  return {
    moto,
    get pipeline() {
      if (!pipeline) throw new Error('useMotoAuditFixture: the pipeline exists only inside a test');
      return pipeline;
    },
    get repo() {
      return repo;
    },
    get stateDir() {
      return stateDir;
    },
  };
}

/** The results store the task runner writes through, for these workers. */
export function dynamoResultStore(pipeline: TestPipeline, workers: readonly string[]): DynamoResultStore {
  return new DynamoResultStore({
    documentClient: pipeline.clients.documentClient,
    s3: pipeline.clients.s3,
    tableName: pipeline.tableName,
    bucketName: pipeline.bucketName,
    s3ThresholdBytes: 65_536,
    workers: [...workers],
  });
}
