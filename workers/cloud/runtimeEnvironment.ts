/**
 * Environment variables through which the CDK app hands resource names to the
 * dispatcher Lambda and the Fargate task runner. infra/ writes them, functions/
 * and container/ read them once at start-up; keeping the names here means the
 * two sides cannot drift apart.
 */
export const ENV = {
  /** DynamoDB table of runs, worker state, findings, idempotency keys. */
  tableName: 'HW_TABLE_NAME',
  /** S3 bucket for outputs over the size threshold (claim check). */
  bucketName: 'HW_BUCKET_NAME',
  /** Outputs larger than this many bytes go to S3. */
  s3ThresholdBytes: 'HW_S3_THRESHOLD_BYTES',
  resultTtlDays: 'HW_RESULT_TTL_DAYS',
  /** JSON: { [profile]: { [priority]: queueUrl } }: a task's own queues (its profile's, for its target). */
  queueUrls: 'HW_QUEUE_URLS',
  /** Prefix of queue names and task families (the stack name): the dispatcher derives every lane's from it (see `laneNames`). */
  namePrefix: 'HW_NAME_PREFIX',
  /** Queue URLs without the name: `https://sqs.<region>.<suffix>/<account>/`. */
  queueUrlBase: 'HW_QUEUE_URL_BASE',
  /** JSON: { [profile]: maxRunningTasks } */
  concurrency: 'HW_CONCURRENCY',
  clusterArn: 'HW_CLUSTER_ARN',
  /** Comma-separated subnet ids the tasks run in. */
  subnets: 'HW_SUBNETS',
  /** JSON: { [profile]: securityGroupId } */
  securityGroups: 'HW_SECURITY_GROUPS',
  /** 'ENABLED' when tasks need a public IP (public subnets without NAT). */
  assignPublicIp: 'HW_ASSIGN_PUBLIC_IP',
  /** Name of the container in every task definition (RunTask overrides target it). */
  containerName: 'HW_CONTAINER_NAME',
  /** JSON of the user's configuration file (worker overrides, targets, limits). */
  config: 'HW_CONFIG',
  /** The execution profile a task runs under. */
  profile: 'HW_PROFILE',
  /** The one target a task serves (its role reaches that target's token, snapshot, runs, findings and queues only). */
  target: 'HW_TARGET',
  /** Writable scratch volume of the task (the root filesystem is read-only). */
  scratchDir: 'HW_SCRATCH_DIR',
  idleExitSeconds: 'HW_IDLE_EXIT_SECONDS',
  /** 'api-key' or 'bedrock'. */
  authMode: 'HW_AUTH_MODE',
  /** EventBridge bus that receives an event per new or returned finding (task runner; unset: no events). */
  findingsEventBus: 'HW_FINDINGS_EVENT_BUS',
  /** Custom endpoint for every AWS client (the emulator in tests). */
  awsEndpoint: 'HW_AWS_ENDPOINT',
} as const;

/** Name of the single container in each worker task definition. */
export const WORKER_CONTAINER_NAME = 'worker';

/** CloudWatch metric namespace of runs (emitted as EMF by the task runner). */
export const METRIC_NAMESPACE = 'HeadlessWorkers';

/** Metric names; dimensions: Worker, Profile (and Outcome for RunOutcome). */
export const METRICS = {
  runOutcome: 'RunOutcome',
  /** 1 for a failed run, 0 otherwise, on EVERY run: its Average is the failure rate the alarm watches. */
  runFailed: 'RunFailed',
  durationMs: 'RunDurationMs',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  costUsd: 'CostUsd',
  /** Tool calls refused by the sandbox in one run (0 when none); any non-zero sum raises the alarm. */
  sandboxViolations: 'SandboxViolations',
} as const;
