import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { PRIORITIES } from '../workers/catalog/constants.js';
import type { Priority } from '../workers/catalog/types.js';
import { StarvationGuard } from './starvationGuard.js';

/** One work queue as the runner sees it. */
export interface WorkQueue {
  readonly priority: Priority;
  readonly url: string;
  /** The queue's visibility timeout: how long a received message stays hidden without a heartbeat. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the dead-letter queue; null without a redrive policy. */
  readonly maxReceiveCount: number | null;
}

/** A message and the queue it came from. */
export interface ReceivedMessage {
  readonly queue: WorkQueue;
  readonly message: Message;
  /** How many times SQS has delivered this message, this time included. */
  readonly receiveCount: number;
}

/**
 * Takes one message at a time from a profile's queues, in the order the
 * StarvationGuard gives (highest priority first, with a rotating boost for
 * lower ones). Each queue is long-polled for a short wait, so a round over
 * four empty queues costs eight requests and a few seconds, and a message in
 * any queue is seen within one round.
 *
 * @example
 * const poller = await QueuePoller.open(sqs, settings.queueUrls, 2);
 * const received = await poller.next(); // null after an empty round
 */
export class QueuePoller {
  private readonly guard = new StarvationGuard();

  private constructor(
    private readonly sqs: SQSClient,
    readonly queues: Readonly<Record<Priority, WorkQueue>>,
    private readonly waitSeconds: number,
  ) {}

  /** Reads each queue's visibility timeout and redrive policy once. */
  static async open(sqs: SQSClient, urls: Readonly<Record<Priority, string>>, waitSeconds: number): Promise<QueuePoller> {
    const entries = await Promise.all(
      PRIORITIES.map(async (priority): Promise<[Priority, WorkQueue]> => {
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls[priority], AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }));
        const redrive = Attributes?.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as { maxReceiveCount?: number | string }) : undefined;
        return [
          priority,
          {
            priority,
            url: urls[priority],
            visibilityTimeoutSeconds: Number(Attributes?.VisibilityTimeout ?? 30),
            maxReceiveCount: redrive?.maxReceiveCount !== undefined ? Number(redrive.maxReceiveCount) : null,
          },
        ];
      }),
    );
    return new QueuePoller(sqs, Object.fromEntries(entries) as Record<Priority, WorkQueue>, waitSeconds);
  }

  /**
   * The next message to work on, or null when a whole round found none. A
   * round is a quick pass (no wait) over the queues in order, then, if all
   * were empty, a pass that long-polls each for the configured wait: a
   * message in a lower queue is not kept waiting behind the empty higher
   * queues' long polls, and an idle task does not spin.
   */
  async next(): Promise<ReceivedMessage | null> {
    const order = this.guard.order();
    for (const wait of [0, this.waitSeconds]) {
      for (const priority of order) {
        const received = await this.receive(this.queues[priority], wait);
        if (!received) continue;
        this.guard.taken(priority);
        return received;
      }
    }
    return null;
  }

  private async receive(queue: WorkQueue, waitSeconds: number): Promise<ReceivedMessage | null> {
    const { Messages } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    const message = Messages?.[0];
    return message ? { queue, message, receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1) } : null;
  }
}
