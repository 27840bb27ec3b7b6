import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../functions/dispatcher/parseRequest.js';

describe('parseRequest', () => {
  it.each([
    [{ source: 'schedule', worker: 'audit' }, { kind: 'schedule', worker: 'audit' }],
    [{ source: 'schedule', worker: 'audit', scheduledTime: '2026-11-25T16:00:00Z' }, { kind: 'schedule', worker: 'audit', scheduledTime: '2026-11-25T16:00:00Z' }],
    [{ source: 'schedule', action: 'reconcile' }, { kind: 'reconcile' }],
    [{ action: 'reconcile' }, { kind: 'reconcile' }],
    [{ action: 'status' }, { kind: 'status' }],
    [{ action: 'results', worker: 'audit' }, { kind: 'results', worker: 'audit', last: 5 }],
    [{ action: 'results', worker: 'audit', last: 20 }, { kind: 'results', worker: 'audit', last: 20 }],
    [{ action: 'results', runId: '20261125T160102123Z-audit-3fa9c2e1' }, { kind: 'result', runId: '20261125T160102123Z-audit-3fa9c2e1' }],
    [{ worker: 'audit', target: 'api', model: 'haiku' }, { kind: 'run', worker: 'audit', target: 'api', model: 'haiku' }],
    [{ action: 'run', worker: 'audit', priority: 'high', sandbox: 'strict', model: 'claude-sonnet-4-5' }, { kind: 'run', worker: 'audit', priority: 'high', sandbox: 'strict', model: 'claude-sonnet-4-5' }],
    ['{"action":"status"}', { kind: 'status' }],
  ])('understands %j', (payload, request) => {
    // act
    const parsed = parseRequest(payload);

    // assess
    expect(parsed).toEqual({ ok: true, request });
  });

  it.each([
    [null, '(payload)', undefined],
    [[1, 2], '(payload)', undefined],
    ['not json', '(payload)', undefined],
    [{}, 'worker', undefined],
    [{ worker: 42 }, 'worker', undefined],
    [{ worker: 'audit', priority: 'urgent' }, 'priority', ['critical', 'high', 'normal', 'low']],
    [{ worker: 'audit', sandbox: 'none' }, 'sandbox', ['strict', 'permissive', 'disabled']],
    [{ worker: 'audit', model: 'gpt-4' }, 'model', undefined],
    [{ worker: 'audit', colour: 'blue' }, 'colour', ['action', 'source', 'worker', 'target', 'model', 'priority', 'sandbox', 'idempotencyKey', 'dryRun']],
    [{ action: 'delete' }, 'action', ['run', 'status', 'results', 'reconcile']],
    [{ source: 'cron', worker: 'audit' }, 'source', ['schedule', 'manual']],
    [{ action: 'results' }, 'worker', undefined],
    [{ action: 'results', worker: 'audit', last: 0 }, 'last', undefined],
    [{ action: 'results', worker: 'audit', last: 500 }, 'last', undefined],
    [{ action: 'results', runId: '../../etc/passwd' }, 'runId', undefined],
    [{ action: 'status', worker: 'audit' }, 'worker', ['action']],
    [{ source: 'schedule', worker: 'audit', scheduledTime: 'yesterday' }, 'scheduledTime', undefined],
    [{ source: 'schedule', worker: 'audit', target: 'api' }, 'target', ['source', 'worker', 'scheduledTime']],
  ])('refuses %j naming the field %s', (payload, field, allowed) => {
    // act
    const parsed = parseRequest(payload);

    // assess
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.field).toBe(field);
    expect(parsed.problem.message.length).toBeGreaterThan(3);
    expect(parsed.problem.message).not.toMatch(/\n\s+at /);
    if (allowed) expect(parsed.problem.allowed).toEqual(allowed);
  });
});

describe('parseRequest under generated input', () => {
  it('never throws, and every refusal names a field', async () => {
    const fc = (await import('fast-check')).default;
    const known = fc.constantFrom('worker', 'target', 'model', 'priority', 'sandbox', 'action', 'source', 'last', 'runId', 'scheduledTime', 'idempotencyKey');
    const payloads = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(known, fc.oneof(fc.jsonValue(), fc.constantFrom('status', 'results', 'reconcile', 'run', 'schedule', 'audit', 'critical', 'strict', 'haiku'))),
      fc.string(),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        const parsed = parseRequest(payload);
        if (!parsed.ok) {
          expect(parsed.problem.field.length).toBeGreaterThan(0);
          expect(parsed.problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
