import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PRIORITIES } from '../../workers/catalog/index.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/index.js';
import { ENV } from '../../workers/cloud/index.js';
import type { RuntimeBinding } from './RuntimeBinding.js';

export interface WorkQueuesProps {
  /** Profiles that get a queue set (one queue and one DLQ per priority each). */
  readonly profiles: readonly ExecutionProfile[];
  /** Prefix of the queue names (the stack name): `<prefix>-<profile>-<priority>[-dlq]`. At most 48 characters. */
  readonly namePrefix: string;
  /**
   * How long a received message stays hidden. The task runner extends it
   * (heartbeat) while a run goes on, so this only bounds how long a message
   * waits after its task died. Default: 5 minutes.
   */
  readonly visibilityTimeout?: Duration;
  /** Receives before a message moves to its dead-letter queue. Default: 3. */
  readonly maxReceiveCount?: number;
}

/** The queues of one profile, by priority. */
export type QueueSet = Readonly<Record<Priority, sqs.Queue>>;

/**
 * What the dispatcher does on a work queue: send, and read the depth for `status`.
 * Narrower than `grantSendMessages`, which adds sqs:GetQueueUrl (the URLs come in the
 * environment) and KMS actions (the queues use SSE-SQS).
 */
export const QUEUE_PRODUCER_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes'] as const;
/** What a task does on its own queues: receive, extend or end visibility, delete, read the redrive policy. */
export const QUEUE_CONSUMER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

/**
 * The work queues: for each execution profile, one SQS queue per priority
 * (critical, high, normal, low), each with its own dead-letter queue;
 * SSE-SQS encryption and a TLS-only policy on all of them.
 *
 * @example
 * const queues = new WorkQueues(this, 'Queues', { profiles: ['local', 'strict', 'permissive'], namePrefix: 'HeadlessWorkers' });
 * queues.bindProducer(dispatcherFunction);
 */
export class WorkQueues extends Construct {
  public readonly profiles: readonly ExecutionProfile[];
  public readonly queues: ReadonlyMap<ExecutionProfile, QueueSet>;
  public readonly deadLetterQueues: ReadonlyMap<ExecutionProfile, QueueSet>;
  public readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    if (props.profiles.length === 0) throw new Error('WorkQueues: give at least one profile');
    if (!/^[A-Za-z0-9-]{1,48}$/.test(props.namePrefix)) {
      throw new Error(`WorkQueues: namePrefix must be 1-48 letters, digits or "-" (got "${props.namePrefix}")`);
    }
    const visibilityTimeout = props.visibilityTimeout ?? Duration.minutes(5);
    if (visibilityTimeout.toSeconds() < 60 || visibilityTimeout.toSeconds() > 43_200) {
      throw new Error('WorkQueues: visibilityTimeout must be between 1 minute and 12 hours');
    }
    this.maxReceiveCount = props.maxReceiveCount ?? 3;
    if (!Number.isInteger(this.maxReceiveCount) || this.maxReceiveCount < 1 || this.maxReceiveCount > 1000) {
      throw new Error(`WorkQueues: maxReceiveCount must be a whole number from 1 to 1000 (got ${this.maxReceiveCount})`);
    }
    this.profiles = [...props.profiles];

    const queues = new Map<ExecutionProfile, QueueSet>();
    const deadLetterQueues = new Map<ExecutionProfile, QueueSet>();
    for (const profile of props.profiles) {
      const work = {} as Record<Priority, sqs.Queue>;
      const dead = {} as Record<Priority, sqs.Queue>;
      for (const priority of PRIORITIES) {
        // Short explicit names: readable in the console and short URLs, since every
        // queue URL goes into the dispatcher's environment (4 KB in total).
        const name = `${props.namePrefix}-${profile}-${priority}`;
        dead[priority] = new sqs.Queue(this, `${profile}-${priority}-dlq`, {
          queueName: `${name}-dlq`,
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        work[priority] = new sqs.Queue(this, `${profile}-${priority}`, {
          queueName: name,
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          visibilityTimeout,
          // Long polling: an idle task waits on the queue instead of spinning.
          receiveMessageWaitTime: Duration.seconds(20),
          retentionPeriod: Duration.days(4),
          deadLetterQueue: { queue: dead[priority], maxReceiveCount: this.maxReceiveCount },
        });
      }
      queues.set(profile, work);
      deadLetterQueues.set(profile, dead);
    }
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
  }

  /** The queue set of a deployed profile. */
  public queuesOf(profile: ExecutionProfile): QueueSet {
    const set = this.queues.get(profile);
    if (!set) throw new Error(`WorkQueues: profile "${profile}" is not deployed (deployed: ${this.profiles.join(', ')})`);
    return set;
  }

  /** JSON `{ [profile]: { [priority]: queueUrl } }` for the given profiles. */
  private urlsJson(profiles: readonly ExecutionProfile[]): string {
    const urls = Object.fromEntries(
      profiles.map((profile) => [profile, Object.fromEntries(PRIORITIES.map((p) => [p, this.queuesOf(profile)[p].queueUrl]))]),
    );
    return Stack.of(this).toJsonString(urls);
  }

  /**
   * Lets the dispatcher send to (and read the depth of) every work queue, and
   * read the depth of the dead-letter queues for `status`; sets HW_QUEUE_URLS.
   */
  public bindProducer(target: RuntimeBinding): void {
    for (const profile of this.profiles) {
      for (const priority of PRIORITIES) {
        this.queuesOf(profile)[priority].grant(target.grantPrincipal, ...QUEUE_PRODUCER_ACTIONS);
        this.deadLetterQueues.get(profile)![priority].grant(target.grantPrincipal, 'sqs:GetQueueAttributes');
      }
    }
    target.addEnvironment(ENV.queueUrls, this.urlsJson(this.profiles));
  }

  /** Lets a task of `profile` consume its own queues and nothing else; sets HW_QUEUE_URLS to them. */
  public bindConsumer(profile: ExecutionProfile, target: RuntimeBinding): void {
    for (const priority of PRIORITIES) this.queuesOf(profile)[priority].grant(target.grantPrincipal, ...QUEUE_CONSUMER_ACTIONS);
    target.addEnvironment(ENV.queueUrls, this.urlsJson([profile]));
  }
}
