// Public AWS list prices the cost model uses: us-east-1 (N. Virginia), on-demand, before free tiers.
// Each with where it was read and when. Prices move: check the source pages before quoting them.

/** A price, its unit, and where it comes from. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  /** When the figure was checked against the source. */
  readonly checked: string;
  /** Set when the figure could not be confirmed from the source and is a best estimate. */
  readonly estimate?: string;
}

const CHECKED = '2026-11-25';

export const AWS_PRICES = {
  fargateArmVcpuHour: {
    usd: 0.03238,
    unit: 'per vCPU-hour, Linux/ARM (Graviton)',
    source: 'https://aws.amazon.com/fargate/pricing/ (figure as quoted by https://www.vantage.sh/blog/fargate-pricing)',
    checked: CHECKED,
  },
  fargateArmGbHour: {
    usd: 0.00356,
    unit: 'per GB-hour, Linux/ARM (Graviton)',
    source: 'https://aws.amazon.com/fargate/pricing/ (figure as quoted by https://www.vantage.sh/blog/fargate-pricing)',
    checked: CHECKED,
  },
  lambdaRequest: { usd: 0.2 / 1e6, unit: 'per request', source: 'https://aws.amazon.com/lambda/pricing/', checked: CHECKED },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'per GB-second, Arm, first 7.5 billion GB-s a month',
    source: 'https://aws.amazon.com/lambda/pricing/ (tier as quoted by https://cloudchipr.com/blog/aws-lambda-pricing)',
    checked: CHECKED,
  },
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1e6,
    unit: 'per write request unit, on-demand (after the November 2024 price cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (figure as quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
    checked: CHECKED,
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1e6,
    unit: 'per read request unit, on-demand',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (figure as quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
    checked: CHECKED,
  },
  s3Put: { usd: 0.005 / 1000, unit: 'per PUT/COPY/POST/LIST request, S3 Standard', source: 'https://aws.amazon.com/s3/pricing/', checked: CHECKED },
  s3Get: { usd: 0.0004 / 1000, unit: 'per GET request, S3 Standard', source: 'https://aws.amazon.com/s3/pricing/', checked: CHECKED },
  s3StorageGbMonth: { usd: 0.023, unit: 'per GB-month, S3 Standard, first 50 TB', source: 'https://aws.amazon.com/s3/pricing/', checked: CHECKED },
  sqsRequest: {
    usd: 0.4 / 1e6,
    unit: 'per request (64 KB chunk), standard queue',
    source: 'https://aws.amazon.com/sqs/pricing/ (figure as quoted by https://cloudburn.io/blog/amazon-sqs-pricing)',
    checked: CHECKED,
  },
  schedulerInvocation: {
    usd: 1 / 1e6,
    unit: 'per EventBridge Scheduler invocation, beyond 14 million free a month',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    checked: CHECKED,
    estimate: 'the free allowance is confirmed by https://awsnegotiations.com/eventbridge-scheduler-cost, the $1.00 per million rate is from memory of the AWS page, not re-read',
  },
} as const satisfies Record<string, Price>;

export type AwsPrices = { readonly [K in keyof typeof AWS_PRICES]: Price };
