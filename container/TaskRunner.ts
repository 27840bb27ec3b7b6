import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JsonLogger } from '../workers/cloudRuntime/index.js';
import type { MessageProcessor } from './MessageProcessor.js';
import type { QueuePoller } from './QueuePoller.js';

/**
 * The task's main loop: take the next message (priority order with the
 * anti-starvation boost), work it, repeat; exit after `idleExitMs` without
 * a message, or soon after `stop()` (SIGTERM): no new message is taken, the
 * run in progress is cancelled and its message given back.
 *
 * @example
 * const runner = new TaskRunner({ poller, processor, sqs, idleExitMs: 120_000, log });
 * process.once('SIGTERM', () => runner.stop('SIGTERM'));
 * process.exitCode = await runner.run();
 */
export class TaskRunner {
  private stopping = false;
  /** Messages worked, by outcome. */
  readonly counts = { done: 0, released: 0, left: 0, errors: 0 };

  constructor(
    private readonly deps: {
      readonly poller: QueuePoller;
      readonly processor: MessageProcessor;
      readonly sqs: SQSClient;
      readonly idleExitMs: number;
      readonly log: JsonLogger;
      readonly sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Stop taking messages and cancel the run in progress. */
  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.deps.log.info('stopping', { reason });
    this.deps.processor.abortCurrent(`task stopping (${reason})`);
  }

  /** Runs until idle or stopped; returns the exit code. */
  async run(): Promise<number> {
    const { log } = this.deps;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let idleSince = Date.now();
    let receiveFailures = 0;
    while (!this.stopping) {
      let received;
      try {
        received = await this.deps.poller.next();
        receiveFailures = 0;
      } catch (error) {
        receiveFailures++;
        log.warn('receive failed', { error, receiveFailures });
        await sleep(Math.min(1_000 * 2 ** receiveFailures, 20_000));
        if (Date.now() - idleSince >= this.deps.idleExitMs) break;
        continue;
      }
      if (received && this.stopping) {
        // Taken while the stop arrived: give it straight back.
        await this.deps.sqs
          .send(new ChangeMessageVisibilityCommand({ QueueUrl: received.queue.url, ReceiptHandle: received.message.ReceiptHandle ?? '', VisibilityTimeout: 0 }))
          .catch(() => undefined);
        break;
      }
      if (!received) {
        if (Date.now() - idleSince >= this.deps.idleExitMs) {
          log.info('idle: exiting', { idleMs: Date.now() - idleSince, ...this.counts });
          return 0;
        }
        continue;
      }
      try {
        const outcome = await this.deps.processor.process(received);
        this.counts[outcome]++;
      } catch (error) {
        this.counts.errors++;
        log.error('message could not be worked; it will be delivered again', { error, messageId: received.message.MessageId });
      }
      idleSince = Date.now();
    }
    log.info('stopped', { ...this.counts });
    return 0;
  }
}
