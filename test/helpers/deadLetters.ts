import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { TestPipeline } from './motoPipeline.js';

/** Messages in all the pipeline's dead-letter queues. */
export async function countDeadLettered(pipeline: TestPipeline): Promise<number> {
  let total = 0;
  for (const urls of Object.values(pipeline.laneDeadLetterUrls).flatMap((byTarget) => Object.values(byTarget))) {
    for (const url of Object.values(urls)) {
      const { Attributes } = await pipeline.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
      total += Number(Attributes?.ApproximateNumberOfMessages);
    }
  }
  return total;
}
