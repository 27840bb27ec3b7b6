import { DEFAULT_STACK_NAME, STACK_OUTPUTS } from '../../workers/cloud/index.js';
import { createDocumentClient, DynamoFindingStore } from '../../workers/cloudRuntime/index.js';
import { refreshSuppressions, type FindingRecord, type Suppression } from '../../workers/findings/index.js';
import { DispatcherError } from './DispatcherInvoker.js';
import { readStackOutput } from './readStackOutput.js';
import { CLOUD_ENV } from './resolveDispatcher.js';

/** Where `findings --cloud` reads from, and what it selects. */
export interface CloudFindingsOptions {
  /** Stack whose `ResultsTableName` output names the table (default: HW_STACK_NAME, else HeadlessWorkers). */
  readonly stack?: string;
  /** The results table: skips the stack lookup. */
  readonly table?: string;
  readonly region?: string;
  /** Custom endpoint for every AWS call, e.g. an emulator (default: HW_AWS_ENDPOINT). */
  readonly endpointUrl?: string;
  readonly target?: string;
  readonly worker?: string;
}

/**
 * The findings the deployed stack tracks (DynamoFindingStore.list over its
 * results table), in the shape the local store gives. The stored state is as
 * of each set's last run; suppressions are applied again as of `now`, so one
 * whose `until` has passed shows its finding as it would be without it, as
 * the local `findings` does. `suppressions` adds the deployer config's lines.
 * A stack or table that cannot be read is a DispatcherError naming it.
 *
 * @example const records = await readCloudFindings({ stack: 'HeadlessWorkers', target: 'api' }, []);
 */
export async function readCloudFindings(
  options: CloudFindingsOptions,
  suppressions: readonly Suppression[],
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Promise<FindingRecord[]> {
  const endpoint = options.endpointUrl ?? env[CLOUD_ENV.endpoint];
  const aws = { ...(options.region ? { region: options.region } : {}), ...(endpoint ? { endpoint } : {}) };
  const tableName = options.table ?? (await readStackOutput(options.stack ?? env[CLOUD_ENV.stack] ?? DEFAULT_STACK_NAME, STACK_OUTPUTS.tableName, aws));
  const store = new DynamoFindingStore({ documentClient: createDocumentClient(aws), tableName });
  let sets;
  try {
    sets = await store.list({ ...(options.target ? { target: options.target } : {}), ...(options.worker ? { worker: options.worker } : {}) });
  } catch (error) {
    throw new DispatcherError(`cannot read findings from table "${tableName}": ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  return sets.flatMap((set) => refreshSuppressions(set.records, [...suppressions, ...storedSuppressions(set.records)], now));
}

/** The suppression each record was stored with, by fingerprint, so its expiry is honoured now. */
function storedSuppressions(records: readonly FindingRecord[]): Suppression[] {
  return records.flatMap((record) =>
    record.suppression
      ? [
          {
            fingerprint: record.fingerprint,
            reason: record.suppression.reason,
            source: record.suppression.source,
            origin: record.suppression.origin ?? 'operator',
            ...(record.suppression.until ? { until: record.suppression.until } : {}),
          },
        ]
      : [],
  );
}
