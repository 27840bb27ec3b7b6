import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PRIORITIES } from '../../workers/catalog/index.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/index.js';
import { ENV, laneKey, laneNames } from '../../workers/cloud/index.js';
import { acknowledgeOnPrincipal, type RuntimeBinding } from './RuntimeBinding.js';

export interface WorkQueuesProps {
  /** Profiles that get queues: one lane per (profile, target). */
  readonly profiles: readonly ExecutionProfile[];
  /** The configured targets: each gets its own lane in every profile. */
  readonly targets: readonly string[];
  /** Prefix of the queue names (the stack name): `<prefix>-<profile>-<target>-<priority>[-dlq]` (see `laneNames`). At most 48 characters. */
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

/** The queues of one lane, by priority. */
export type QueueSet = Readonly<Record<Priority, sqs.Queue>>;

/** One lane: a profile on a target, with its work and dead-letter queues. */
export interface QueueLane {
  readonly profile: ExecutionProfile;
  readonly target: string;
  readonly queues: QueueSet;
  readonly deadLetterQueues: QueueSet;
}

/**
 * What the dispatcher does on a work queue: send, and read the depth for `status`.
 * Narrower than `grantSendMessages`, which adds sqs:GetQueueUrl (the URLs are derived
 * from the names) and KMS actions (the queues use SSE-SQS).
 */
export const QUEUE_PRODUCER_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes'] as const;
/** What a task does on its own queues: receive, extend or end visibility, delete, read the redrive policy. */
export const QUEUE_CONSUMER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

/**
 * The work queues: for each lane (an execution profile on one target), one
 * SQS queue per priority (critical, high, normal, low), each with its own
 * dead-letter queue; SSE-SQS encryption and a TLS-only policy on all of them.
 * A target's tasks consume its lane only, so they never receive, hide or
 * delete another target's messages (issue 11, case 8).
 *
 * @example
 * const queues = new WorkQueues(this, 'Queues', { profiles: ['local', 'strict', 'permissive'], targets: ['api', 'web'], namePrefix: 'HeadlessWorkers' });
 * queues.bindProducer(dispatcherFunction);
 */
export class WorkQueues extends Construct {
  public readonly profiles: readonly ExecutionProfile[];
  public readonly targets: readonly string[];
  /** Every lane, by `laneKey(profile, target)`. */
  public readonly lanes: ReadonlyMap<string, QueueLane>;
  public readonly maxReceiveCount: number;
  private readonly namePrefix: string;

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
    this.targets = [...props.targets];
    this.namePrefix = props.namePrefix;

    const lanes = new Map<string, QueueLane>();
    for (const profile of props.profiles) {
      for (const target of props.targets) {
        // Explicit names derived from (prefix, profile, target): the dispatcher derives the same URLs.
        const names = laneNames(props.namePrefix, profile, target);
        const scope = new Construct(this, `${profile}-${target}`);
        const work = {} as Record<Priority, sqs.Queue>;
        const dead = {} as Record<Priority, sqs.Queue>;
        for (const priority of PRIORITIES) {
          dead[priority] = new sqs.Queue(scope, `${priority}-dlq`, {
            queueName: names.deadLetterQueue(priority),
            encryption: sqs.QueueEncryption.SQS_MANAGED,
            enforceSSL: true,
            retentionPeriod: Duration.days(14),
          });
          work[priority] = new sqs.Queue(scope, priority, {
            queueName: names.queue(priority),
            encryption: sqs.QueueEncryption.SQS_MANAGED,
            enforceSSL: true,
            visibilityTimeout,
            // Long polling: an idle task waits on the queue instead of spinning.
            receiveMessageWaitTime: Duration.seconds(20),
            retentionPeriod: Duration.days(4),
            deadLetterQueue: { queue: dead[priority], maxReceiveCount: this.maxReceiveCount },
          });
        }
        lanes.set(laneKey(profile, target), { profile, target, queues: work, deadLetterQueues: dead });
      }
    }
    this.lanes = lanes;
  }

  /** The queues of a deployed lane. */
  public laneOf(profile: ExecutionProfile, target: string): QueueLane {
    const lane = this.lanes.get(laneKey(profile, target));
    if (!lane) throw new Error(`WorkQueues: no lane for profile "${profile}" and target "${target}" (profiles: ${this.profiles.join(', ')}; targets: ${this.targets.join(', ') || 'none'})`);
    return lane;
  }

  /** The lanes of a profile, one per target. */
  public lanesOf(profile: ExecutionProfile): QueueLane[] {
    return [...this.lanes.values()].filter((lane) => lane.profile === profile);
  }

  /**
   * Lets the dispatcher send to (and read the depth of) every work queue, and
   * read the depth of the dead-letter queues for `status`; sets the name
   * prefix and URL base it derives every lane's queue URLs from. The grants
   * name the queues by the stack's name pattern (`<prefix>-*-<priority>`,
   * `<prefix>-*-dlq`): one ARN per priority however many targets there are,
   * where a list of every lane's queues would outgrow the role's policy.
   */
  public bindProducer(target: RuntimeBinding): void {
    const stack = Stack.of(this);
    const queuesNamed = (pattern: string) => stack.formatArn({ service: 'sqs', resource: `${this.namePrefix}-${pattern}` });
    const workQueues = PRIORITIES.map((priority) => queuesNamed(`*-${priority}`));
    const deadLetterQueues = queuesNamed('*-dlq');
    iam.Grant.addToPrincipal({ grantee: target.grantPrincipal, actions: [...QUEUE_PRODUCER_ACTIONS], resourceArns: workQueues });
    iam.Grant.addToPrincipal({ grantee: target.grantPrincipal, actions: ['sqs:GetQueueAttributes'], resourceArns: [deadLetterQueues] });
    for (const arn of [...workQueues, deadLetterQueues]) {
      acknowledgeOnPrincipal(
        target.grantPrincipal,
        `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`,
        'The queues of every lane (a profile on a target) of this stack, by their name pattern: the dispatcher sends to the work queues of every target and reads the depth of their dead-letter queues; it receives and deletes nothing.',
      );
    }
    target.addEnvironment(ENV.namePrefix, this.namePrefix);
    target.addEnvironment(ENV.queueUrlBase, `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}/`);
  }

  /** Lets a task of one lane consume its own queues and nothing else; sets HW_QUEUE_URLS to them. */
  public bindConsumer(profile: ExecutionProfile, targetName: string, target: RuntimeBinding): void {
    const lane = this.laneOf(profile, targetName);
    for (const priority of PRIORITIES) lane.queues[priority].grant(target.grantPrincipal, ...QUEUE_CONSUMER_ACTIONS);
    const urls = { [profile]: Object.fromEntries(PRIORITIES.map((p) => [p, lane.queues[p].queueUrl])) };
    target.addEnvironment(ENV.queueUrls, Stack.of(this).toJsonString(urls));
  }
}
