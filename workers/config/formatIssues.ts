import type { z } from 'zod';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Turns a path such as ['workers','audit','sandbox'] into `workers.audit.sandbox`;
 * keys that are not plain names are quoted (`workers[" "]`) so the message
 * still shows where the problem is.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      if (!PLAIN_KEY.test(key)) return `[${JSON.stringify(key)}]`;
      return `${index === 0 ? '' : '.'}${key}`;
    })
    .join('');
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * One line per problem, each naming the field, what is allowed and what was
 * given: the form every validation error of the project takes.
 */
export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = [], input?: unknown): string[] {
  return error.issues.map((issue) => {
    const fullPath = [...prefix, ...issue.path];
    const field = formatPath(fullPath) || '(root)';
    const given = input === undefined ? undefined : valueAt(input, issue.path);
    const got = given === undefined ? '' : ` (got ${describeValue(given)})`;
    switch (issue.code) {
      case 'invalid_value':
        return `${field}: must be one of ${issue.values.map((v) => String(v)).join(', ')}${got}`;
      case 'unrecognized_keys':
        return `${field === '(root)' ? '' : `${field}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      case 'invalid_type':
        return `${field}: expected ${issue.expected}${given === undefined && input !== undefined ? ', but it is missing' : got}`;
      default:
        return `${field}: ${issue.message}${got}`;
    }
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
