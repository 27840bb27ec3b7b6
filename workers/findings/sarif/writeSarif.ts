import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SarifLog } from './types.js';

/**
 * Writes a SARIF log as pretty-printed JSON (2-space indent, trailing newline),
 * creating the folder if needed. The text goes to a temporary file in the same
 * folder first and is renamed over `file`, so a reader never sees half a log.
 *
 * @example await writeSarif(sarifForRun(result, { toolVersion: '0.1.0' }), 'out/audit.sarif');
 */
export async function writeSarif(log: SarifLog, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(log, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}
