import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../functions/dispatcher/parseRequest.js';
import { PRIORITIES, SANDBOX_MODES, WORKER_TYPES } from '../../workers/catalog/constants.js';
import { parseTaskMessage } from '../../workers/cloudRuntime/taskMessage.js';
import { parseConfig } from '../../workers/config/index.js';
import { ConfigError, InputError } from '../../workers/errors.js';
import { parseSuppressionLine } from '../../workers/findings/index.js';

/** Property-based: thousands of generated inputs, no unhandled exception, every refusal names a field. */
const RUNS = 2_000;

/** Values that look like what a user or a caller might send: near-valid shapes mixed with junk. */
const fieldValue = fc.oneof(
  fc.constantFrom(...WORKER_TYPES, ...SANDBOX_MODES, ...PRIORITIES, 'haiku', 'opus', 'claude-sonnet-4-5', '', ' ', '../x', '--upload-pack=x', 'ext::sh'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }),
);

describe('fuzzing the input parsers', () => {
  it('the dispatcher payload parser answers every payload with a request or a problem naming a field', () => {
    const payload = fc.oneof(
      fc.anything(),
      fc.record(
        { source: fc.constantFrom('schedule', 'manual', 'x'), action: fc.constantFrom('run', 'status', 'results', 'reconcile', 'drop'), worker: fieldValue, target: fieldValue, model: fieldValue, priority: fieldValue, sandbox: fieldValue, last: fieldValue, runId: fieldValue },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(payload, (input) => {
        const parsed = parseRequest(input);
        if (!parsed.ok) {
          expect(parsed.problem.field.length).toBeGreaterThan(0);
          expect(parsed.problem.message.length).toBeGreaterThan(0);
          expect(parsed.problem.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the task message parser never throws and keeps a reason for every body it refuses', () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ v: fc.constantFrom(1, 2, '1'), runId: fieldValue, worker: fieldValue, target: fieldValue, profile: fieldValue, priority: fieldValue, source: fieldValue, queuedAt: fieldValue }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(body, (text) => {
        const parsed = parseTaskMessage(text);
        if (!parsed.ok) expect(parsed.error.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the config loader accepts a config or throws a ConfigError whose every problem names a field', () => {
    const overrides = fc.dictionary(
      fc.oneof(fc.constantFrom(...WORKER_TYPES), fc.string({ maxLength: 10 })),
      fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('model', 'sandbox', 'priority', 'intervalMs', 'enabled', 'timeoutMs', 'contextPatterns', 'modle'), fieldValue, { maxKeys: 4 })),
      { maxKeys: 3 },
    );
    const config = fc.oneof(
      fc.anything(),
      fc.record({ workers: overrides, targets: fc.array(fc.dictionary(fc.constantFrom('name', 'repo', 'git', 's3'), fieldValue), { maxLength: 2 }), limits: fc.dictionary(fc.constantFrom('dailyUsd', 'launchesPerHour', 'x'), fieldValue), resultTtlDays: fieldValue, suppressions: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(config, (raw) => {
        try {
          parseConfig(raw, 'fuzz.json');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const problems = (error as ConfigError).problems;
          expect(problems.length).toBeGreaterThan(0);
          // Each problem starts with the field it is about (`workers.audit.model: …`, `(root): …`, `suppressions[0]: …`) or says which field is unknown.
          for (const problem of problems) expect(problem).toMatch(/^(\(root\)|[\w$-]+(?:\.[\w$-]+|\[\d+\]|\[".*?"\])*): |^unknown field/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the suppression line parser accepts a line or names the line and the expected syntax', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        try {
          parseSuppressionLine(line, 'fuzz:1');
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toMatch(/^fuzz:1: /);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
