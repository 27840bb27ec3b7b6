import { expect } from 'vitest';
import { PRIORITIES, type ExecutionProfile } from '../../../workers/catalog/index.js';
import { logicalIdOf, renderValue, statementsOfRole, type BuiltStack } from './buildStack.js';

// What a task role allows, read from the synthesized template as readable capabilities
// ("action resource [item family or event source]"), and a matcher that tries requests an
// attacker holding the role's credentials would send. IAM itself is not emulated (moto enforces
// no policy): the matcher applies IAM's StringLike and ARN wildcard rules to the Allow
// statements, which is all a task role holds (the enumeration fails on anything else).

/** One capability: an action on a resource (readable name or ARN pattern), with the item family or event source its condition allows. */
export interface Capability {
  readonly action: string;
  readonly resource: string;
  readonly condition?: string;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Readable names of the stack's own resources, by their rendered ARN. */
function resourceNames(built: BuiltStack): Map<string, string> {
  const { stack } = built;
  const names = new Map<string, string>();
  const arn = (construct: { node: { defaultChild?: unknown } }) => `\${${logicalIdOf(stack, construct)}.Arn}`;
  names.set(arn(stack.results.table), 'table');
  names.set(arn(stack.results.bucket), 'outputs:');
  for (const lane of stack.queues.lanes.values()) {
    for (const priority of PRIORITIES) {
      names.set(arn(lane.queues[priority]), `queue:${lane.profile}-${lane.target}-${priority}`);
      names.set(arn(lane.deadLetterQueues[priority]), `dlq:${lane.profile}-${lane.target}-${priority}`);
    }
  }
  return names;
}

/** Every grant of a lane's task role (a profile on a target), resolved to capabilities; a condition this test does not know fails it (so a new one gets a line in the table). */
export function capabilitiesOf(built: BuiltStack, profile: ExecutionProfile, target: string): Capability[] {
  const names = resourceNames(built);
  const readable = (rendered: string): string => {
    const [, id, rest] = /^(\$\{[^}]+\.Arn\})(.*)$/.exec(rendered) ?? [];
    if (id && names.has(id)) return names.get(id) === 'outputs:' ? `outputs:${rest!.replace(/^\//, '')}` : `${names.get(id)}${rest}`;
    const snapshot = /^arn:\$\{AWS::Partition\}:s3:::(.+)$/.exec(rendered);
    if (snapshot) return `s3://${snapshot[1]}`;
    const bus = /:event-bus\/(.+)$/.exec(rendered);
    return bus ? `bus:${bus[1]}` : rendered;
  };
  const capabilities: Capability[] = [];
  for (const statement of statementsOfRole(built, built.stack.workers.laneOf(profile, target).taskRole)) {
    expect(statement.Effect).toBe('Allow');
    expect(statement.NotAction ?? statement.NotResource).toBeUndefined();
    const conditions = conditionValues(statement.Condition);
    for (const action of list<string>(statement.Action)) {
      for (const resource of list<unknown>(statement.Resource).map((r) => readable(renderValue(r)))) {
        for (const condition of conditions) capabilities.push({ action, resource, ...(condition ? { condition } : {}) });
      }
    }
  }
  return capabilities;
}

/** The values a statement's condition lets through, each one request shape ("key RUN#*"); [undefined] when unconditioned. */
function conditionValues(condition: Record<string, Record<string, string | string[]>> | undefined): (string | undefined)[] {
  if (!condition) return [undefined];
  const entries = Object.entries(condition).flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => [`${operator} ${key}`, list(values)] as const));
  expect(entries, JSON.stringify(condition)).toHaveLength(1);
  const [[operatorAndKey, values]] = entries as [readonly [string, string[]]];
  if (operatorAndKey === 'ForAllValues:StringLike dynamodb:LeadingKeys') return values.map((v) => `key ${v}`);
  if (operatorAndKey === 'StringEquals events:source') return values.map((v) => `source ${v}`);
  throw new Error(`a condition this test does not know: ${operatorAndKey}`);
}

/** A capability as one readable line. */
export const line = (c: Capability) => `${c.action} ${c.resource}${c.condition ? ` [${c.condition}]` : ''}`;

/** IAM's StringLike and ARN matching: `*` any run of characters, `?` one. */
function matches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** A request an attacker holding the role's credentials sends. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Partition key value (the item, or the index partition a Query reads). */
  readonly key?: string;
}

/** Whether some capability allows the request (a conditioned capability needs the request's key or source to match). */
export function allows(capabilities: readonly Capability[], request: Request): boolean {
  return capabilities.some((c) => {
    if (c.action !== request.action || !matches(c.resource, request.resource)) return false;
    if (!c.condition) return true;
    const [kind, value] = c.condition.split(' ') as [string, string];
    return kind === 'key' && request.key !== undefined && matches(value, request.key);
  });
}

/** `allows` as a short predicate: can(capabilities)(action, resource, key?). */
export const can = (capabilities: readonly Capability[]) => (action: string, resource: string, key?: string) => allows(capabilities, { action, resource, ...(key ? { key } : {}) });

