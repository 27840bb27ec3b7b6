import { BUILTIN_WORKERS } from '../catalog/builtinCatalog.js';
import type { Catalog, WorkerDefinition } from '../catalog/types.js';
import { formatIssues, formatPath } from './formatIssues.js';
import { HEADLESS_ONLY_FIELDS, workerOverrideSchema } from './configSchema.js';

const OVERRIDABLE_FIELDS = Object.keys(workerOverrideSchema.shape);

export interface ResolveOptions {
  readonly allowDisabledSandbox: boolean;
}

/**
 * Applies the user's per-worker overrides to the built-in catalog. Returns the
 * catalog, or the list of problems, each naming the worker, the field and the
 * allowed values.
 */
export function resolveCatalog(
  overrides: Record<string, unknown>,
  options: ResolveOptions,
  builtins: readonly WorkerDefinition[] = BUILTIN_WORKERS,
): { catalog: Catalog; problems: string[] } {
  const problems: string[] = [];
  const byName = new Map(builtins.map((def) => [def.type, def] as const));
  const known = [...byName.keys()].join(', ');
  for (const [name, raw] of Object.entries(overrides)) {
    const base = byName.get(name);
    if (!base) {
      problems.push(`${formatPath(['workers', name])}: unknown worker; known workers: ${known}`);
      continue;
    }
    const parsed = workerOverrideSchema.safeParse(raw);
    if (!parsed.success) {
      for (const line of formatIssues(parsed.error, ['workers', name], raw)) {
        problems.push(line.includes('unknown field') ? `${line}; allowed fields: ${OVERRIDABLE_FIELDS.join(', ')}` : line);
      }
      continue;
    }
    const override = parsed.data;
    if (base.mode === 'local') {
      const misplaced = Object.keys(override).filter((field) => HEADLESS_ONLY_FIELDS.includes(field));
      for (const field of misplaced) {
        problems.push(`workers.${name}.${field}: "${name}" is a local worker (no model); ${field} applies only to headless workers`);
      }
      if (misplaced.length > 0) continue;
    }
    byName.set(name, { ...base, ...override } as WorkerDefinition);
  }
  for (const def of byName.values()) {
    for (const source of def.chainsFrom) {
      if (!byName.has(source)) problems.push(`workers.${def.type}.chainsFrom: unknown worker "${source}"; known workers: ${known}`);
    }
    if (def.mode === 'headless' && def.sandbox === 'disabled' && !options.allowDisabledSandbox) {
      problems.push(
        `workers.${def.type}.sandbox: "disabled" runs Claude Code with every permission; set "allowDisabledSandbox": true to opt in, or use strict or permissive`,
      );
    }
  }
  return { catalog: byName, problems };
}
