/** The parts of an UpdateItem call built by `buildUpdate`. */
export interface BuiltUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ConditionExpression?: string;
}

/**
 * Builds an UpdateItem expression with a placeholder for every name and value
 * (records use reserved words such as `status`, `output`, `error`).
 *
 * @example
 * buildUpdate({ set: { status: 'RUNNING' }, remove: ['leaseOwner'], condition: '#s = :q', conditionNames: { '#s': 'status' }, conditionValues: { ':q': 'QUEUED' } });
 */
export function buildUpdate(spec: {
  readonly set?: Record<string, unknown>;
  /** Set only when the attribute is absent. */
  readonly setIfMissing?: Record<string, unknown>;
  /** Added to a number (absent counts as 0). */
  readonly add?: Record<string, number>;
  readonly remove?: readonly string[];
  readonly condition?: string;
  readonly conditionNames?: Record<string, string>;
  readonly conditionValues?: Record<string, unknown>;
}): BuiltUpdate {
  const names: Record<string, string> = { ...spec.conditionNames };
  const values: Record<string, unknown> = { ...spec.conditionValues };
  const sets: string[] = [];
  let nameCount = 0;
  let valueCount = 0;
  const name = (attribute: string) => {
    const placeholder = `#u${nameCount++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:u${valueCount++}`;
    values[placeholder] = v;
    return placeholder;
  };
  for (const [attribute, v] of Object.entries(spec.set ?? {})) {
    if (v === undefined) continue;
    sets.push(`${name(attribute)} = ${value(v)}`);
  }
  for (const [attribute, v] of Object.entries(spec.setIfMissing ?? {})) {
    const placeholder = name(attribute);
    sets.push(`${placeholder} = if_not_exists(${placeholder}, ${value(v)})`);
  }
  for (const [attribute, v] of Object.entries(spec.add ?? {})) {
    const placeholder = name(attribute);
    const zero = value(0);
    sets.push(`${placeholder} = if_not_exists(${placeholder}, ${zero}) + ${value(v)}`);
  }
  const removes = (spec.remove ?? []).map((attribute) => name(attribute));
  const clauses = [...(sets.length > 0 ? [`SET ${sets.join(', ')}`] : []), ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : [])];
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(spec.condition ? { ConditionExpression: spec.condition } : {}),
  };
}
