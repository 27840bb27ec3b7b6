import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JsonLogger, RunRecords } from '../workers/cloudRuntime/index.js';

/**
 * Keeps a message hidden, and the run's lease alive, while the task works on
 * it: every third of the visibility timeout, ChangeMessageVisibility back to
 * the full timeout and a lease renewal. If the task dies, both lapse within
 * one timeout and another task picks the message up.
 *
 * @example
 * const heartbeat = MessageHeartbeat.start({ sqs, records, queueUrl, receiptHandle, runId, owner, visibilityTimeoutSeconds: 300, leaseMs, log });
 * try { await work(); } finally { heartbeat.stop(); }
 */
export class MessageHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();
  /** Heartbeats sent. */
  beats = 0;

  private constructor(private readonly options: HeartbeatOptions) {}

  static start(options: HeartbeatOptions): MessageHeartbeat {
    const heartbeat = new MessageHeartbeat(options);
    const every = Math.max(1_000, Math.floor((options.visibilityTimeoutSeconds * 1000) / 3));
    heartbeat.timer = setInterval(() => {
      heartbeat.beating = heartbeat.beat();
    }, every);
    return heartbeat;
  }

  /** Stops beating and waits for a beat in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
  }

  private async beat(): Promise<void> {
    const o = this.options;
    try {
      await o.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: o.queueUrl, ReceiptHandle: o.receiptHandle, VisibilityTimeout: o.visibilityTimeoutSeconds }));
      if (o.runId) {
        const owned = await o.records.heartbeat(o.runId, o.owner, o.leaseMs);
        if (!owned) {
          o.log.warn('lost the lease on the run (another task took it over)');
          o.onLeaseLost?.();
        }
      }
      this.beats++;
    } catch (error) {
      o.log.warn('heartbeat failed', { error });
    }
  }
}

interface HeartbeatOptions {
  readonly sqs: SQSClient;
  readonly records: RunRecords;
  readonly queueUrl: string;
  readonly receiptHandle: string;
  /** Run whose lease to renew; none for a message that is not (yet) a run. */
  readonly runId?: string;
  readonly owner: string;
  readonly visibilityTimeoutSeconds: number;
  readonly leaseMs: number;
  readonly log: JsonLogger;
  /** Called when a renewal finds that the task no longer holds the run (to stop working on it). */
  readonly onLeaseLost?: () => void;
}
