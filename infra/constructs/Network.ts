import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Create a VPC for the workers, or run them in subnets that already exist. */
export type NetworkChoice =
  | { readonly mode: 'create'; readonly maxAzs: number; readonly natGateways: number }
  | { readonly mode: 'import'; readonly vpcId: string; readonly subnetIds: readonly string[]; readonly assignPublicIp: boolean };

export interface NetworkProps {
  readonly choice: NetworkChoice;
  /** Retention of the VPC flow log (created VPCs only). */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Where the worker tasks run.
 *
 * Cost of each choice (us-east-1 list prices, 2025):
 * - `create` with `natGateways: 0` (default): public subnets only, each task gets a
 *   public IP while it runs (about $0.005 per hour) and no inbound rule lets
 *   anything reach it. Idle cost: zero. S3 and DynamoDB gateway endpoints are free.
 * - `create` with NAT gateways: tasks in private subnets, no public IP; each NAT
 *   gateway costs about $32 a month plus $0.045 per GB, running or not.
 * - `import`: your subnets and whatever egress they already have (NAT, endpoints,
 *   proxy); nothing new to pay for here. Set `assignPublicIp` when they are public.
 *
 * @example
 * const network = new Network(this, 'Network', { choice: { mode: 'create', maxAzs: 2, natGateways: 0 }, logRetention: logs.RetentionDays.ONE_MONTH });
 */
export class Network extends Construct {
  public readonly vpc: ec2.IVpc;
  /** Subnet ids the tasks are started in. */
  public readonly subnetIds: readonly string[];
  /** Whether RunTask must give tasks a public IP (public subnets without NAT). */
  public readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const choice = props.choice;
    if (choice.mode === 'import') {
      if (choice.subnetIds.length === 0) throw new Error('Network: an imported VPC needs at least one subnet id');
      // Attributes rather than a lookup: synth stays offline and needs no AWS credentials.
      // Only the VPC id is read (by the security groups); tasks are placed by subnet id, so
      // the one zone CDK insists on is a placeholder nothing renders.
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: choice.vpcId, availabilityZones: [Fn.select(0, Fn.getAzs())] });
      this.subnetIds = [...choice.subnetIds];
      this.assignPublicIp = choice.assignPublicIp;
      return;
    }
    if (choice.maxAzs < 1 || choice.natGateways < 0 || choice.natGateways > choice.maxAzs) {
      throw new Error(`Network: need 1 <= maxAzs and 0 <= natGateways <= maxAzs (got ${choice.maxAzs}, ${choice.natGateways})`);
    }
    const privateTasks = choice.natGateways > 0;
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: choice.maxAzs,
      natGateways: choice.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        ...(privateTasks ? [{ name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 }] : []),
      ],
      // Nothing uses the default security group; restricting it would add a custom-resource Lambda to the stack.
      restrictDefaultSecurityGroup: false,
      gatewayEndpoints: {
        // Free, and keep S3 and DynamoDB traffic off the NAT gateway (no per-GB charge).
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    // Rejected traffic only: it shows a sandbox trying to reach anything but HTTPS, at a
    // fraction of the log volume (and cost) of logging every accepted connection.
    vpc.addFlowLog('RejectedTraffic', {
      trafficType: ec2.FlowLogTrafficType.REJECT,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLog', { retention: props.logRetention }),
      ),
    });
    this.vpc = vpc;
    this.subnetIds = vpc.selectSubnets({ subnetType: privateTasks ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC }).subnetIds;
    this.assignPublicIp = !privateTasks;
  }
}
