/**
 * Names of the CloudFormation outputs of the deployed stack: the CDK app writes
 * them, the operator CLI reads them (`aws cloudformation describe-stacks`) to find
 * the dispatcher, table, bucket and cluster. Keeping them here means the two
 * sides cannot drift apart.
 *
 * @example
 * const fn = outputs.find((o) => o.OutputKey === STACK_OUTPUTS.dispatcherFunctionName)?.OutputValue;
 */
export const STACK_OUTPUTS = {
  dispatcherFunctionName: 'DispatcherFunctionName',
  tableName: 'ResultsTableName',
  bucketName: 'ResultsBucketName',
  clusterName: 'ClusterName',
  clusterArn: 'ClusterArn',
  dashboardName: 'DashboardName',
} as const;

/** Stack name `cdk deploy` uses unless the deploy config names another (`deploy.stackName`). */
export const DEFAULT_STACK_NAME = 'HeadlessWorkers';
