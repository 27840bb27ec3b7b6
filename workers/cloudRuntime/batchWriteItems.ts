import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Puts in one BatchWriteItem call (DynamoDB's limit). */
export const BATCH_WRITE_LIMIT = 25;
/** BatchWriteItem calls in flight at once. */
const CONCURRENCY = 4;
/** Tries of the items DynamoDB left unprocessed (throttling) before giving up. */
const UNPROCESSED_ATTEMPTS = 6;

/**
 * Puts whole items, 25 a BatchWriteItem call (a few calls at once), and puts again with backoff the
 * items DynamoDB left unprocessed. Unconditional: only for items no one else
 * writes meanwhile. Throws when items are still unprocessed after the tries.
 *
 * @example
 * await batchPutItems(documentClient, tableName, items, { sleep });
 */
export async function batchPutItems(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: { readonly sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) chunks.push(items.slice(start, start + BATCH_WRITE_LIMIT));
  const putChunk = async (chunk: readonly Record<string, unknown>[]): Promise<void> => {
    let requests = chunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > UNPROCESSED_ATTEMPTS) throw new Error(`DynamoDB left ${requests.length} items unprocessed after ${UNPROCESSED_ATTEMPTS} BatchWriteItem tries`);
      if (attempt > 1) await sleep(50 * 2 ** attempt);
      const { UnprocessedItems } = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (UnprocessedItems?.[tableName] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
    }
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < chunks.length) await putChunk(chunks[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, lane));
}
