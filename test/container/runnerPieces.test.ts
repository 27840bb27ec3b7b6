import { describe, expect, it } from 'vitest';
import { leaseMsOf, poisonRunId } from '../../container/MessageProcessor.js';
import { readRunnerSettings } from '../../container/runnerSettings.js';
import { runMetricsLine } from '../../container/runMetrics.js';
import { ENV, METRICS, METRIC_NAMESPACE } from '../../workers/cloud/index.js';
import { ConfigError } from '../../workers/errors.js';
import { isRunId } from '../../workers/run/runId.js';

const QUEUES = { critical: 'https://q/c', high: 'https://q/h', normal: 'https://q/n', low: 'https://q/l' };

describe('readRunnerSettings', () => {
  it('reads the task definition environment with defaults', () => {
    // act
    const settings = readRunnerSettings({
      [ENV.profile]: 'strict',
      [ENV.queueUrls]: JSON.stringify({ strict: QUEUES }),
      [ENV.tableName]: 'table',
      [ENV.bucketName]: 'bucket',
      [ENV.idleExitSeconds]: '120',
    });

    // assess
    expect(settings).toMatchObject({ profile: 'strict', queueUrls: QUEUES, idleExitMs: 120_000, pollWaitSeconds: 2, stopGraceMs: 100_000, gitProtocols: ['https'], s3ThresholdBytes: 65_536 });
  });

  it('reads the findings event bus when it is set, and none otherwise', () => {
    // prepare
    const base = { [ENV.profile]: 'strict', [ENV.queueUrls]: JSON.stringify({ strict: QUEUES }), [ENV.tableName]: 't', [ENV.bucketName]: 'b' };

    // act
    const withBus = readRunnerSettings({ ...base, [ENV.findingsEventBus]: 'security-findings' });
    const without = readRunnerSettings(base);

    // assess
    expect(withBus.findingsEventBus).toBe('security-findings');
    expect(without.findingsEventBus).toBeUndefined();
    expect(() => readRunnerSettings({ ...base, [ENV.findingsEventBus]: 'a bus with spaces' })).toThrow(/HW_FINDINGS_EVENT_BUS: must be an EventBridge bus name or ARN/);
  });

  it('names every missing or malformed variable', () => {
    // act
    const error = (() => {
      try {
        readRunnerSettings({ [ENV.profile]: 'root', [ENV.queueUrls]: '{}' });
      } catch (e) {
        return e as ConfigError;
      }
    })();

    // assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems.join('\n')).toMatch(/HW_PROFILE: must be one of local, strict, permissive, disabled/);
    expect(error?.problems.join('\n')).toMatch(/HW_TABLE_NAME: is required/);
    expect(() => readRunnerSettings({ [ENV.profile]: 'local', [ENV.queueUrls]: JSON.stringify({ strict: QUEUES }), [ENV.tableName]: 't', [ENV.bucketName]: 'b' })).toThrow(
      /HW_QUEUE_URLS: needs a URL for each priority \(critical, high, normal, low\) of profile "local"/,
    );
  });
});

describe('runner details', () => {
  it('leases a run a little shorter than the visibility timeout', () => {
    expect(leaseMsOf({ priority: 'normal', url: '', visibilityTimeoutSeconds: 300, maxReceiveCount: 3 })).toBe(290_000);
    expect(leaseMsOf({ priority: 'normal', url: '', visibilityTimeoutSeconds: 8, maxReceiveCount: 3 })).toBe(6_000);
  });

  it('gives an unreadable message a stable run id', () => {
    const id = poisonRunId('5fea7756-0ea4-451a-a703-a558b933e274', '1795622970022');
    expect(isRunId(id)).toBe(true);
    expect(id).toBe(poisonRunId('5fea7756-0ea4-451a-a703-a558b933e274', '1795622970022'));
    expect(id).toMatch(/^\d{8}T\d{9}Z-poison-[0-9a-f]{8}$/);
  });

  it('writes one EMF line with every run metric', () => {
    // act
    const line = JSON.parse(
      runMetricsLine({ worker: 'audit', status: 'FAILED', durationMs: 1234, tokens: { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 }, costUsd: 0.01, violations: [{ tool: 'Bash', kind: 'permission_denied', detail: 'x' }] }, 'strict', new Date(0)),
    ) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } };

    // assess
    expect(line._aws.CloudWatchMetrics.every((d) => d.Namespace === METRIC_NAMESPACE)).toBe(true);
    expect(line._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name)).sort()).toEqual(Object.values(METRICS).sort());
    expect(line).toMatchObject({ Worker: 'audit', Profile: 'strict', Outcome: 'FAILED', [METRICS.runFailed]: 1, [METRICS.sandboxViolations]: 1, [METRICS.costUsd]: 0.01 });
  });
});

describe('parseTaskMessage under generated input', () => {
  it('never throws, keeps only readable fields of a refused body, and reads back what the dispatcher writes', async () => {
    const fc = (await import('fast-check')).default;
    const { parseTaskMessage, serializeTaskMessage } = await import('../../workers/cloudRuntime/index.js');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (body) => {
        const parsed = parseTaskMessage(body);
        if (!parsed.ok) {
          expect(parsed.error.reason.length).toBeGreaterThan(0);
          if (parsed.error.partial.runId) expect(isRunId(parsed.error.partial.runId)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    const message = { v: 1 as const, runId: 'api~20261125T160102123Z-audit-3fa9c2e1', worker: 'audit', target: 'api', profile: 'strict' as const, priority: 'critical' as const, source: 'schedule' as const, queuedAt: '2026-11-25T16:01:02.000Z' };
    expect(parseTaskMessage(serializeTaskMessage(message))).toEqual({ ok: true, message });
  });
});
