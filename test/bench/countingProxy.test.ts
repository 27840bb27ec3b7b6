import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startCountingProxy, type CountingProxy } from '../../bench/countingProxy.js';
import { motoClientConfig, useMotoServer } from '../helpers/motoServer.js';

let proxy: CountingProxy | undefined;
const moto = useMotoServer({ beforeReset: () => proxy?.stop() });

describe('the counting proxy in front of moto', () => {
  it('forwards every call and counts it by service and action, for JSON, query and S3 protocols alike', async () => {
    // prepare
    proxy = await startCountingProxy(moto.endpoint);
    const config = motoClientConfig(proxy.endpoint);
    const sqs = new SQSClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const ec2 = new EC2Client(config);

    // act
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'counted' }));
    await s3.send(new PutObjectCommand({ Bucket: 'counted', Key: 'k', Body: 'body' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'counted', Key: 'k' }));
    const vpcs = await ec2.send(new DescribeVpcsCommand({}));

    // assess
    expect(await got.Body?.transformToString()).toBe('body');
    expect(vpcs.Vpcs?.length).toBeGreaterThan(0);
    expect(proxy.counts()).toEqual({ 'sqs CreateQueue': 1, 'sqs SendMessage': 2, 's3 PUT': 2, 's3 GET': 1, 'ec2 DescribeVpcs': 1 });
    expect(proxy.total()).toBe(7);
    proxy.reset();
    expect(proxy.total()).toBe(0);
  });
});
