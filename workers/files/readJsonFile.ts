import { readTextHead } from './readTextHead.js';

/** A state file larger than this is refused rather than read into memory: the ledger and findings stay far below. */
const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a JSON state file; `undefined` when it does not exist yet. A file that is not JSON
 * is an error naming the file: spend state must never silently reset to zero. The file is
 * opened without following a link and without blocking (a FIFO is refused, not waited on),
 * and read only when it is a regular file of a sane size.
 *
 * @example
 * const raw = (await readJsonFile(path)) ?? {};
 */
export async function readJsonFile(path: string): Promise<unknown> {
  const read = await readTextHead(path, MAX_STATE_FILE_BYTES);
  if (read.kind === 'unreadable' && read.reason === 'ENOENT') return undefined;
  if (read.kind === 'unreadable') throw new Error(`${path} cannot be read (${read.reason === 'ELOOP' ? 'a symbolic link' : read.reason}); delete it or fix its permissions`);
  if (read.kind === 'binary') throw new Error(`${path} is not valid JSON (binary content); fix or delete it`);
  if (read.truncated) throw new Error(`${path} is larger than ${MAX_STATE_FILE_BYTES} bytes; delete it`);
  try {
    return JSON.parse(read.text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix or delete it`, { cause: error });
  }
}
