import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../workers/cloud/index.js';
import { FINDING_EVENT_SOURCE } from '../../workers/cloudRuntime/FindingEvents.js';
import type { RuntimeBinding } from './RuntimeBinding.js';

export interface FindingEventsProps {
  /** An existing bus: its name (in this stack's account and region) or its ARN. */
  readonly busName: string;
}

/**
 * The EventBridge bus that receives an event per new or returned finding.
 * The bus is the team's (named in the deploy config), not created here, so
 * their rules routing findings to chat, tickets or Security Hub survive a redeploy.
 *
 * @example
 * const findingEvents = new FindingEvents(this, 'FindingEvents', { busName: 'security-findings' });
 * findingEvents.bindPublisher(worker.binding);
 */
export class FindingEvents extends Construct {
  public readonly bus: events.IEventBus;
  private readonly busName: string;

  constructor(scope: Construct, id: string, props: FindingEventsProps) {
    super(scope, id);
    if (!props.busName) throw new Error('FindingEvents: busName must not be empty');
    this.busName = props.busName;
    this.bus = props.busName.startsWith('arn:')
      ? events.EventBus.fromEventBusArn(this, 'Bus', props.busName)
      : events.EventBus.fromEventBusName(this, 'Bus', props.busName);
  }

  /**
   * Lets a task put events on exactly this bus, with the product's own
   * `source` only (rules matching other sources cannot be fed), and tells it which bus.
   */
  public bindPublisher(target: RuntimeBinding): void {
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['events:PutEvents'],
      resourceArns: [this.bus.eventBusArn],
      conditions: { StringEquals: { 'events:source': FINDING_EVENT_SOURCE } },
    });
    target.addEnvironment(ENV.findingsEventBus, this.busName);
  }
}
