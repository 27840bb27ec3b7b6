import { describe, expect, it } from 'vitest';
import { planRuns } from '../../../functions/dispatcher/planRuns.js';
import { tighterOrEqualSandboxes } from '../../../workers/run/resolveRun.js';
import { parseConfig } from '../../../workers/config/index.js';

const config = parseConfig({
  targets: [
    { name: 'api', git: { url: 'https://git.example.com/acme/api.git' } },
    { name: 'web', s3: { bucket: 'snapshots', key: 'web.tar.gz' } },
  ],
  workers: { predict: { enabled: true, intervalMs: 600_000 } },
});
const deployed = ['local', 'strict', 'permissive'] as const;

describe('planRuns', () => {
  it('plans one run per target, in the queue of the worker\'s profile and priority', () => {
    // act
    const plan = planRuns({ kind: 'schedule', worker: 'audit' }, config, deployed);

    // assess
    expect(plan).toEqual({
      runs: [
        { worker: 'audit', target: 'api', profile: 'strict', priority: 'critical' },
        { worker: 'audit', target: 'web', profile: 'strict', priority: 'critical' },
      ],
    });
  });

  it('lets a caller tighten the sandbox (moving the run to that profile), change the priority and the model', () => {
    // act
    const plan = planRuns({ kind: 'run', worker: 'testgaps', target: 'web', sandbox: 'strict', priority: 'low', model: 'opus' }, config, deployed);

    // assess
    expect(plan).toEqual({ runs: [{ worker: 'testgaps', target: 'web', profile: 'strict', priority: 'low', model: 'opus', sandbox: 'strict' }] });
    expect(tighterOrEqualSandboxes('permissive')).toEqual(['strict', 'permissive']);
    expect(tighterOrEqualSandboxes('strict')).toEqual(['strict']);
  });

  it('refuses what the deployment cannot run', () => {
    // act / assess
    expect(planRuns({ kind: 'run', worker: 'testgaps', sandbox: 'disabled' }, config, deployed)).toMatchObject({ problem: { field: 'sandbox', allowed: ['strict', 'permissive'] } });
    expect(planRuns({ kind: 'run', worker: 'audit' }, parseConfig({}), deployed)).toMatchObject({ problem: { field: 'target', message: expect.stringMatching(/no targets in the configuration/) } });
    expect(planRuns({ kind: 'run', worker: 'audit' }, config, ['local'])).toMatchObject({ problem: { field: 'worker', message: 'profile "strict" of "audit" is not deployed in this stack', allowed: ['local'] } });
    expect(planRuns({ kind: 'schedule', worker: 'refactor' }, config, deployed)).toMatchObject({ problem: { field: 'worker', message: expect.stringMatching(/disabled/) } });
    expect(planRuns({ kind: 'run', worker: 'refactor' }, config, deployed)).toMatchObject({ runs: [{ profile: 'permissive' }, { profile: 'permissive' }] });
  });
});
