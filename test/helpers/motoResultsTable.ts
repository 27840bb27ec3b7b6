import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../workers/cloud/index.js';
import { motoClientConfig } from './motoServer.js';

/**
 * Creates the results table's key schema (pk/sk, as the CDK app does) in moto,
 * without the pipeline around it, for tests of one item family; returns its
 * name and a document client as the runtime builds it. Each call gives a new
 * client, as each Fargate task has its own.
 */
export async function createResultsTable(endpoint: string, tableName = 'HeadlessWorkers-ResultsTable'): Promise<{ tableName: string; client: () => DynamoDBDocumentClient }> {
  const client = () => DynamoDBDocumentClient.from(new DynamoDBClient(motoClientConfig(endpoint)), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
  await new DynamoDBClient(motoClientConfig(endpoint)).send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  return { tableName, client };
}
