import { Ajv, type ErrorObject, type Format, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../catalog/types.js';

/** The verdict of {@link validateJson}: errors are readable lines, each naming a JSON path. */
export type JsonValidation = { readonly valid: true } | { readonly valid: false; readonly errors: string[] };

/** Longer lists only bury the first, most useful errors (a bad array repeats itself). */
const MAX_ERRORS = 20;

/** Schemas compile once: by object identity first, by content when a caller rebuilds the object. */
const byIdentity = new WeakMap<object, ValidateFunction>();
const byContent = new Map<string, ValidateFunction>();
const MAX_CACHED_BY_CONTENT = 200;

/**
 * The few `format`s worker schemas use; ajv-formats is not a dependency, and an unknown
 * format would otherwise be ignored without a word.
 */
const FORMATS: Record<string, Format> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
  uri: (s) => URL.canParse(s),
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/**
 * Validates a value against a JSON Schema (draft 2020-12, or draft-07 when the schema says
 * so), compiling each schema once.
 *
 * @example
 * const verdict = validateJson(parsed, worker.outputSchema);
 * if (!verdict.valid) console.log(verdict.errors.join('; '));
 * // "/findings/0/severity must be one of critical, high, medium, low, info"
 * @throws Error when the schema itself is not a valid JSON Schema (a catalog bug, not bad output).
 */
export function validateJson(value: unknown, schema: JsonSchema): JsonValidation {
  const validate = compiled(schema);
  if (validate(value)) return { valid: true };
  return { valid: false, errors: describeErrors(validate.errors ?? []) };
}

function compiled(schema: JsonSchema): ValidateFunction {
  const known = byIdentity.get(schema);
  if (known) return known;
  const key = stableStringify(schema);
  let validate = byContent.get(key);
  if (!validate) {
    validate = compile(schema);
    if (byContent.size >= MAX_CACHED_BY_CONTENT) {
      const oldest = byContent.keys().next().value;
      if (oldest !== undefined) byContent.delete(oldest);
    }
    byContent.set(key, validate);
  }
  byIdentity.set(schema, validate);
  return validate;
}

/** A fresh ajv per schema: two schemas with the same `$id` would otherwise collide. */
function compile(schema: JsonSchema): ValidateFunction {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { strict: false, allErrors: true, verbose: true, logger: false as const, formats: FORMATS };
  const ajv = /draft-0[67]/.test(draft) ? new Ajv(options) : new Ajv2020(options);
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new Error(`invalid JSON Schema: ${(error as Error).message}`, { cause: error });
  }
}

function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines = [...new Set(errors.map(describeError))];
  if (lines.length <= MAX_ERRORS) return lines;
  return [...lines.slice(0, MAX_ERRORS), `... and ${lines.length - MAX_ERRORS} more errors`];
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'const':
      return `${path} must be ${show(params.allowedValue)}`;
    case 'required':
      return `${childPath(error.instancePath, String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${childPath(error.instancePath, String(params.additionalProperty))} is not allowed`;
    case 'type':
      return `${path} must be ${String(params.type)}, got ${typeName(error.data)}`;
    default:
      return `${path} ${error.message ?? `fails ${error.keyword}`}`;
  }
}

function childPath(parent: string, property: string): string {
  return `${parent}/${property.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** Key order does not change a schema's meaning, so it must not change its cache key. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
