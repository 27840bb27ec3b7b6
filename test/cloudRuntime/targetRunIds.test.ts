import { describe, expect, it } from 'vitest';
import { parseTaskMessage, serializeTaskMessage, type TaskMessage } from '../../workers/cloudRuntime/index.js';
import { TARGET_NAME_PATTERN } from '../../workers/cloudRuntime/taskMessage.js';
import { isRunId, newRunId, newTargetRunId, RUN_ID_TARGET_SEPARATOR, targetOfRunId } from '../../workers/run/runId.js';

// Issue 11, case 8: a cloud run id names its target first (`api~...`), so IAM can confine a task
// role to `RUN#api~*` and `outputs/<worker>/api~*`. These check the id and the message rule the
// runner applies; the grants themselves are checked in test/infra/taskRoleCapabilities.test.ts.

const message = (fields: Partial<TaskMessage>): string =>
  serializeTaskMessage({ v: 1, runId: 'api~20261125T160102123Z-audit-3fa9c2e1', worker: 'audit', target: 'api', profile: 'strict', priority: 'critical', source: 'schedule', queuedAt: '2026-11-25T16:01:02.000Z', ...fields });

describe('cloud run ids carry their target', () => {
  it('makes ids that name the target and still read as run ids; local ids name none', () => {
    // act
    const cloud = newTargetRunId('web.front_end-2', 'audit', new Date('2026-11-25T16:01:02.123Z'));
    const local = newRunId('audit', new Date('2026-11-25T16:01:02.123Z'));

    // assess
    expect(cloud).toMatch(/^web\.front_end-2~20261125T160102123Z-audit-[0-9a-f]{8}$/);
    expect(isRunId(cloud)).toBe(true);
    expect(targetOfRunId(cloud)).toBe('web.front_end-2');
    expect(isRunId(local)).toBe(true);
    expect(targetOfRunId(local)).toBeUndefined();
  });

  it('the separator is a character no target name can hold, so one target prefix never matches another target', () => {
    expect(TARGET_NAME_PATTERN.test(`api${RUN_ID_TARGET_SEPARATOR}x`)).toBe(false);
    // "api" and "api-v2": RUN#api~* cannot match a run of api-v2.
    expect(newTargetRunId('api-v2', 'audit').startsWith(`api${RUN_ID_TARGET_SEPARATOR}`)).toBe(false);
  });

  it('refuses ids that are not run ids: a bad target part, a path, a second separator', () => {
    for (const value of ['-api~20261125T160102123Z-audit-3fa9c2e1', 'a/b~20261125T160102123Z-audit-3fa9c2e1', 'a~b~20261125T160102123Z-audit-3fa9c2e1', '~20261125T160102123Z-audit-3fa9c2e1', '../20261125T160102123Z-audit-3fa9c2e1']) {
      expect(isRunId(value), value).toBe(false);
      expect(targetOfRunId(value), value).toBeUndefined();
    }
  });
});

describe('a task message whose run id names another target', () => {
  it('reads back a message whose run id names its own target', () => {
    expect(parseTaskMessage(message({}))).toMatchObject({ ok: true, message: { runId: 'api~20261125T160102123Z-audit-3fa9c2e1', target: 'api' } });
  });

  it.each([
    ['another target', 'web~20261125T160102123Z-audit-3fa9c2e1'],
    ['a prefix of the target', 'ap~20261125T160102123Z-audit-3fa9c2e1'],
    ['no target (a local run id)', '20261125T160102123Z-audit-3fa9c2e1'],
  ])('is refused when the run id names %s, and the failure is not filed under that run id', (_case, runId) => {
    // act
    const parsed = parseTaskMessage(message({ runId }));

    // assess
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.reason).toBe('runId: must name the message\'s target ("api~..."), as the dispatcher makes it');
    expect(parsed.error.partial).toEqual({ worker: 'audit', target: 'api' });
  });
});
