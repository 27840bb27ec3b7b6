import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FINDING_EVENT_SOURCE } from '../../workers/cloudRuntime/index.js';
import { motoClientConfig } from './motoServer.js';

/** An event as EventBridge delivers it to an SQS target. */
export interface DeliveredEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: Record<string, unknown>;
}

export interface FindingEventsObserver {
  readonly busName: string;
  readonly eventBridge: EventBridgeClient;
  /** Receives every event delivered so far (waits up to `waitMs` for the first). */
  drain(waitMs?: number): Promise<DeliveredEvent[]>;
}

/**
 * Creates a bus in moto with a rule sending every `headless-workers` event to
 * an SQS queue, so a test can read what was put on the bus.
 *
 * @example
 * const events = await observeFindingEvents(moto.endpoint, pipeline.clients.sqs);
 * expect((await events.drain()).map((e) => e['detail-type'])).toEqual(['Finding New']);
 */
export async function observeFindingEvents(endpoint: string, sqs: SQSClient, busName = 'security-findings'): Promise<FindingEventsObserver> {
  const eventBridge = new EventBridgeClient(motoClientConfig(endpoint));
  await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${busName}-observer` }));
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await eventBridge.send(new PutRuleCommand({ Name: 'all-findings', EventBusName: busName, EventPattern: JSON.stringify({ source: [FINDING_EVENT_SOURCE] }) }));
  await eventBridge.send(new PutTargetsCommand({ Rule: 'all-findings', EventBusName: busName, Targets: [{ Id: 'observer', Arn: queueArn }] }));
  return {
    busName,
    eventBridge,
    async drain(waitMs = 1000) {
      const events: DeliveredEvent[] = [];
      for (let first = true; ; first = false) {
        const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: first ? Math.ceil(waitMs / 1000) : 0 }));
        const messages = page.Messages ?? [];
        if (messages.length === 0) return events;
        for (const message of messages) {
          events.push(JSON.parse(message.Body ?? '{}') as DeliveredEvent);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
    },
  };
}
