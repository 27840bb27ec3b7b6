import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { PRIORITIES } from '../../workers/catalog/constants.js';
import { describeWorker } from '../../workers/catalog/describeWorker.js';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import type { DynamoRunTable, PendingRun, ProfileStatus, QueueDepth, RunRecords, StatusResponse, WorkerStatus } from '../../workers/cloudRuntime/index.js';
import { deployedProfiles, type DispatcherSettings } from './dispatcherSettings.js';
import { cloudTargetsOf, lanesOf } from './lanes.js';
import { listRunningTasks, queueDepth } from './profileState.js';

/**
 * Builds the status answer: per profile, running tasks against the cap and
 * each priority's depth summed over the profile's lanes (one per target; dead
 * letters where the role may read them); per worker,
 * its mode and sandbox, the runs queued and running (the `byStatus` index),
 * and its last finished run (the `byWorker` index). Expired records never count.
 */
export async function readStatus(deps: {
  readonly sqs: SQSClient;
  readonly ecs: ECSClient;
  readonly store: DynamoRunTable;
  readonly records: RunRecords;
  readonly settings: DispatcherSettings;
  readonly config: ResolvedConfig;
  readonly clock: () => Date;
}): Promise<StatusResponse> {
  const { settings, config } = deps;
  const [profiles, queued, running] = await Promise.all([
    Promise.all(deployedProfiles(settings).map((profile) => profileStatus(profile, cloudTargetsOf(config), deps))),
    deps.records.listPending('QUEUED'),
    deps.records.listPending('RUNNING'),
  ]);
  const count = (runs: readonly PendingRun[], worker: string) => runs.filter((r) => r.worker === worker).length;
  const workers = await Promise.all(
    [...config.catalog.values()].map(async (def): Promise<WorkerStatus> => {
      const [last] = await deps.store.listFinal({ worker: def.type, limit: 1 });
      const q = count(queued, def.type);
      const r = count(running, def.type);
      const scheduled = def.enabled && def.intervalMs > 0;
      const status: WorkerStatus['status'] =
        r > 0 ? 'running' : q > 0 ? 'queued' : last && !last.success && last.status !== 'SKIPPED' ? 'failed' : !def.enabled ? 'disabled' : scheduled ? 'idle' : 'manual';
      const { description: _description, outputFormat: _outputFormat, ...facts } = describeWorker(def);
      return {
        ...facts,
        status,
        queued: q,
        running: r,
        lastRun: last
          ? {
              runId: last.runId,
              status: last.status,
              mode: last.mode,
              target: last.target,
              startedAt: last.startedAt,
              finishedAt: last.finishedAt,
              durationMs: last.durationMs,
              costUsd: last.costUsd,
            }
          : null,
      };
    }),
  );
  const scheduled = [...config.catalog.values()].filter((d) => d.enabled && d.intervalMs > 0);
  const sum = (pick: (d: QueueDepth & { deadLettered: number | null }) => number) =>
    profiles.reduce((total, p) => total + Object.values(p.queues).reduce((s, d) => s + pick(d), 0), 0);
  return {
    pipeline: {
      generatedAt: deps.clock().toISOString(),
      authMode: settings.authMode,
      targets: config.targets.filter((t) => t.repo === undefined).map((t) => t.name),
      workersEnabled: {
        total: scheduled.length,
        headless: scheduled.filter((d) => d.mode === 'headless').length,
        local: scheduled.filter((d) => d.mode === 'local').length,
      },
      profiles,
      totals: {
        runningTasks: profiles.reduce((total, p) => total + p.runningTasks, 0),
        waiting: sum((d) => d.waiting),
        inFlight: sum((d) => d.inFlight),
        deadLettered: sum((d) => d.deadLettered ?? 0),
        queuedRuns: queued.length,
        runningRuns: running.length,
      },
    },
    workers,
  };
}

async function profileStatus(profile: ExecutionProfile, targets: readonly string[], deps: { sqs: SQSClient; ecs: ECSClient; settings: DispatcherSettings }): Promise<ProfileStatus> {
  const lanes = lanesOf(deps.settings);
  const [tasks, ...depths] = await Promise.all([
    listRunningTasks(deps.ecs, deps.settings, profile, targets),
    ...PRIORITIES.map(async (priority) => {
      const perTarget = await Promise.all(
        targets.map(async (target) => {
          const [depth, deadLettered] = await Promise.all([
            queueDepth(deps.sqs, lanes.queueUrl(profile, target, priority)),
            deadLetterCount(deps.sqs, lanes.deadLetterUrl(profile, target, priority)),
          ]);
          return { ...depth, deadLettered };
        }),
      );
      return {
        waiting: perTarget.reduce((sum, d) => sum + d.waiting, 0),
        inFlight: perTarget.reduce((sum, d) => sum + d.inFlight, 0),
        // Unreadable in one lane: unknown in all (a partial sum would look like a count).
        deadLettered: perTarget.some((d) => d.deadLettered === null) ? null : perTarget.reduce((sum, d) => sum + (d.deadLettered ?? 0), 0),
      };
    }),
  ]);
  const byTarget = tasks as Map<string, string[]>;
  return {
    profile,
    cap: deps.settings.concurrency[profile] ?? 0,
    runningTasks: [...byTarget.values()].reduce((sum, arns) => sum + arns.length, 0),
    queues: Object.fromEntries(PRIORITIES.map((p, i) => [p, depths[i]])) as ProfileStatus['queues'],
  };
}

/** Messages in a dead-letter queue, or null when it cannot be read (no permission, another naming). */
async function deadLetterCount(sqs: SQSClient, url: string): Promise<number | null> {
  try {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  } catch {
    return null;
  }
}
