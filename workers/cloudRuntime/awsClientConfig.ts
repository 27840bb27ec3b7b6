/** Settings shared by every AWS SDK client the runtime creates. */
export interface AwsClientOptions {
  /** Default: the SDK's own lookup (AWS_REGION, the profile). */
  readonly region?: string;
  /** A custom endpoint for every service (the moto emulator in tests, a VPC endpoint). */
  readonly endpoint?: string;
}

/**
 * Client configuration for an AWS SDK v3 client. With a custom endpoint, S3
 * needs path-style addressing (`http://host/bucket/key`): pass the result of
 * `s3ClientConfig` to the S3 client.
 *
 * @example
 * const sqs = new SQSClient(awsClientConfig({ endpoint: process.env.HW_AWS_ENDPOINT }));
 */
export function awsClientConfig(options: AwsClientOptions = {}): { region?: string; endpoint?: string } {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

/** `awsClientConfig` plus path-style addressing when an endpoint is set. */
export function s3ClientConfig(options: AwsClientOptions = {}): { region?: string; endpoint?: string; forcePathStyle?: boolean } {
  return { ...awsClientConfig(options), ...(options.endpoint ? { forcePathStyle: true } : {}) };
}
