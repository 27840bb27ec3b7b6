import { CfnResource, Stack, Token } from 'aws-cdk-lib';

/** Lambda's limit on the total size of a function's environment variables (names and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** Bounds on the resolved length of a value CloudFormation fills in at deploy time. */
export interface Bounds {
  readonly low: number;
  readonly high: number;
}

/** What a `Ref` or `Fn::GetAtt` in the environment points at. */
export interface ReferenceTarget {
  readonly logicalId: string;
  /** Attribute name for Fn::GetAtt; undefined for Ref. */
  readonly attribute?: string;
}

/** Bounds for a reference, or undefined when unknown. */
export type ReferenceBounds = (target: ReferenceTarget) => Bounds | undefined;

const REGION: Bounds = { low: 9, high: 14 };
const ACCOUNT = 12;
const PSEUDO_PARAMETERS: Record<string, Bounds> = {
  'AWS::Region': REGION,
  'AWS::AccountId': { low: ACCOUNT, high: ACCOUNT },
  'AWS::Partition': { low: 3, high: 10 },
  'AWS::URLSuffix': { low: 13, high: 16 },
  'AWS::StackName': { low: 1, high: 128 },
};
/** A reference we know nothing about: an id (sg-…, 20 bytes) at least, a long ARN or URL at most. */
const UNKNOWN_REFERENCE: Bounds = { low: 20, high: 128 };

const fixed = (text: string): Bounds => ({ low: Buffer.byteLength(text), high: Buffer.byteLength(text) });
const plus = (...parts: Bounds[]): Bounds => ({ low: parts.reduce((s, b) => s + b.low, 0), high: parts.reduce((s, b) => s + b.high, 0) });
/** A name CloudFormation generates: `<stack>-<logicalId>-<random>`, cut to the service's limit. */
const generatedName = (stack: Stack, logicalId: string, max: number): Bounds => ({ low: 10, high: Math.min(max, stack.stackName.length + logicalId.length + 15) });

/**
 * Bounds for references to the resource types this app puts into environments
 * (queue URLs, task definition ARNs, security group and subnet ids, the
 * cluster ARN, table and bucket names), read from the stack itself.
 */
export function stackReferenceBounds(stack: Stack): ReferenceBounds {
  const byLogicalId = new Map<string, CfnResource>();
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct)) byLogicalId.set(stack.resolve(construct.logicalId) as string, construct);
  }
  const arn = (service: string, resource: Bounds): Bounds => plus(fixed(`arn:aws:${service}:`), REGION, fixed(`:${'0'.repeat(ACCOUNT)}:`), resource);
  return ({ logicalId, attribute }) => {
    const resource = byLogicalId.get(logicalId);
    if (!resource) return undefined;
    const props = (name: string): unknown => (resource as unknown as Record<string, unknown>)[name];
    const literal = (name: string): string | undefined => {
      const value = props(name);
      return typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
    };
    switch (`${resource.cfnResourceType}${attribute ? `.${attribute}` : ''}`) {
      case 'AWS::SQS::Queue': {
        const name = literal('queueName');
        return plus(fixed('https://sqs.'), REGION, fixed(`.amazonaws.com/${'0'.repeat(ACCOUNT)}/`), name ? fixed(name) : { low: 1, high: 80 });
      }
      case 'AWS::ECS::TaskDefinition': {
        const family = literal('family');
        return arn('ecs', plus(fixed('task-definition/'), family ? fixed(family) : { low: 1, high: 255 }, { low: 2, high: 7 }));
      }
      case 'AWS::ECS::Cluster.Arn':
        return arn('ecs', plus(fixed('cluster/'), generatedName(stack, logicalId, 255)));
      case 'AWS::EC2::SecurityGroup.GroupId':
        return { low: 11, high: 20 };
      case 'AWS::EC2::Subnet':
        return { low: 15, high: 24 };
      case 'AWS::DynamoDB::Table':
        return generatedName(stack, logicalId, 255);
      case 'AWS::S3::Bucket':
        return { low: 3, high: 63 };
      default:
        return undefined;
    }
  };
}

function bounds(value: unknown, references: ReferenceBounds): Bounds {
  if (typeof value === 'string') return { low: Buffer.byteLength(value), high: Buffer.byteLength(value) };
  if (typeof value === 'number' || typeof value === 'boolean') return bounds(String(value), references);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string') return PSEUDO_PARAMETERS[record.Ref] ?? references({ logicalId: record.Ref }) ?? UNKNOWN_REFERENCE;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') {
      return references({ logicalId: getAtt[0], attribute: getAtt[1] }) ?? UNKNOWN_REFERENCE;
    }
    const join = record['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = (join[1] as unknown[]).map((part) => bounds(part, references));
      const separators = fixed(join[0].repeat(Math.max(0, parts.length - 1)));
      return plus(separators, ...parts);
    }
  }
  return UNKNOWN_REFERENCE;
}

/**
 * Estimates the deployed size of a Lambda environment from its CloudFormation
 * form: literal text counts exactly, each reference counts between the
 * shortest and the longest value it can take.
 *
 * @example
 * estimateEnvironmentBytes({ HW_SUBNETS: { Ref: 'Subnet1' } }, stackReferenceBounds(stack)); // { low: 25, high: 34 }
 */
export function estimateEnvironmentBytes(variables: Record<string, unknown>, references: ReferenceBounds = () => undefined): Bounds {
  return plus(...Object.entries(variables).map(([name, value]) => plus(fixed(name), bounds(value, references))));
}
