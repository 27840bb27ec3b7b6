import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, TABLE } from '../../workers/cloud/index.js';
import { buildStack, containerEnvironment, functionEnvironment, logicalIdOf, ONE_TARGET, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

describe('results store', () => {
  let defaults: BuiltStack;
  let week: BuiltStack;

  beforeAll(() => {
    defaults = buildStack();
    week = buildStack({ config: { ...ONE_TARGET, resultTtlDays: 7 }, deploy: { s3ThresholdBytes: 200_000 } });
  });
  afterAll(() => [defaults, week].forEach((built) => built?.dispose()));

  it('is an on-demand table with point-in-time recovery, the TTL attribute and the keys of the shared design', () => {
    defaults.template().hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(TABLE.ttlAttribute).toBe('expiresAt');
  });

  it('has the byWorker and byStatus indexes the status and results queries use', () => {
    const table = Object.values(resourcesOf(defaults.template(), 'AWS::DynamoDB::Table'))[0]!;
    const indexes = table.Properties.GlobalSecondaryIndexes as Record<string, any>[];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual([TABLE.byStatusIndex.name, TABLE.byWorkerIndex.name].sort());
    for (const design of [TABLE.byWorkerIndex, TABLE.byStatusIndex]) {
      expect(indexes.find((i) => i.IndexName === design.name)).toEqual({
        IndexName: design.name,
        KeySchema: [
          { AttributeName: design.partitionKey, KeyType: 'HASH' },
          { AttributeName: design.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
  });

  it('keeps outputs in a private, encrypted bucket whose objects expire with the results (TTL days)', () => {
    defaults.template().hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })] },
      VersioningConfiguration: Match.absent(),
    });
    week.template().hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] },
    });
  });

  it('refuses any request to the bucket without TLS', () => {
    const bucketId = logicalIdOf(defaults.stack, defaults.stack.results.bucket);
    defaults.template().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps the table and the bucket on stack deletion', () => {
    const template = defaults.template();
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket']) {
      for (const resource of Object.values(template.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
  });

  it('names the table, bucket, threshold and TTL to the dispatcher and every task', () => {
    const { stack } = week;
    const template = week.template();
    const expected = {
      [ENV.tableName]: `\${${logicalIdOf(stack, stack.results.table)}}`,
      [ENV.bucketName]: `\${${logicalIdOf(stack, stack.results.bucket)}}`,
      [ENV.s3ThresholdBytes]: '200000',
      [ENV.resultTtlDays]: '7',
    };
    expect(functionEnvironment(Object.values(resourcesOf(template, 'AWS::Lambda::Function'))[0]!)).toMatchObject(expected);
    const taskDefinitions = Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition'));
    expect(taskDefinitions).toHaveLength(3);
    for (const td of taskDefinitions) expect(containerEnvironment(td)).toMatchObject(expected);
  });
});
