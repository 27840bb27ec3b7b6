import { readFile } from 'node:fs/promises';

/**
 * Reads a JSON state file; `undefined` when it does not exist yet. A file that is not JSON
 * is an error naming the file: spend state must never silently reset to zero.
 *
 * @example
 * const raw = (await readJsonFile(path)) ?? {};
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix or delete it`, { cause: error });
  }
}
