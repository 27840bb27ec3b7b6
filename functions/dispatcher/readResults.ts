import type { ResolvedConfig } from '../../workers/config/index.js';
import type { DynamoRunTable, ErrorResponse, ResultsResponse, RunResponse } from '../../workers/cloudRuntime/index.js';

/**
 * The last runs of a worker. Outputs kept in S3 stay there (the record's
 * `outputLocation` says where): a Lambda answer stops at 6 MB, and the CLI
 * fetches them itself.
 */
export async function readResults(
  request: { readonly worker: string; readonly last: number },
  deps: { readonly store: DynamoRunTable; readonly config: ResolvedConfig },
): Promise<ResultsResponse | ErrorResponse> {
  if (!deps.config.catalog.has(request.worker)) {
    return { error: { field: 'worker', message: `unknown worker "${request.worker}"`, allowed: [...deps.config.catalog.keys()] } };
  }
  return { worker: request.worker, runs: await deps.store.listRuns(request.worker, request.last) };
}

/** One run by id, pending or final. */
export async function readRun(runId: string, deps: { readonly store: DynamoRunTable }): Promise<RunResponse | ErrorResponse> {
  const run = await deps.store.getRun(runId);
  if (!run) return { error: { field: 'runId', message: `no run ${runId} (never queued, or expired)` } };
  return { run };
}
