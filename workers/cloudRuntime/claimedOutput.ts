import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RunResult } from '../run/types.js';
import { isFinalRun, type OutputLocation, type StoredRun } from './types.js';

/** What a claim-checked S3 object holds. */
export interface ClaimedOutput {
  readonly runId: string;
  readonly worker: string;
  readonly output: string;
  readonly parsedOutput?: unknown;
  readonly context?: RunResult['context'];
}

/** Reads a claim-checked output object. */
export async function readClaimedOutput(s3: S3Client, location: OutputLocation): Promise<ClaimedOutput> {
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw new Error(`cannot read the output at s3://${location.bucket}/${location.key}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  return JSON.parse(text) as ClaimedOutput;
}

/**
 * Fills in the output of a record whose output went to S3 (claim check);
 * other records come back unchanged.
 *
 * @example
 * const full = await withClaimedOutput(run, s3);
 */
export async function withClaimedOutput<T extends StoredRun>(run: T, s3: S3Client): Promise<T> {
  if (!isFinalRun(run) || !run.outputLocation) return run;
  const claimed = await readClaimedOutput(s3, run.outputLocation);
  return {
    ...run,
    output: claimed.output,
    ...(claimed.parsedOutput !== undefined ? { parsedOutput: claimed.parsedOutput } : {}),
    ...(claimed.context !== undefined ? { context: claimed.context } : {}),
  };
}
