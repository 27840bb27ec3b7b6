import path from 'node:path';
import { listRepositoryFiles, readTextHead } from '../files/index.js';
import { secretSpans } from './redactSecrets.js';

/** Bytes read from the head of each file, as the local audit does. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Shorter values (`DEBUG=true` in a .env file) are words, not credentials: masking them would garble prose. */
const MIN_VALUE_LENGTH = 8;

/**
 * Every secret value `redactSecrets` would hide in the repository's files, one line
 * of a multi-line key at a time, longest first. A model that read the files with its
 * tools may quote a value without the context the rules need (`password = "…"`), so
 * its answer is masked against these exact values too.
 *
 * @example maskKnownValues(answer, await repositorySecretValues('/work/repo'))
 */
export async function repositorySecretValues(repoDir: string): Promise<string[]> {
  const root = path.resolve(repoDir);
  const { files } = await listRepositoryFiles(root, { includeAllClasses: true });
  const values = new Set<string>();
  for (const file of files) {
    const read = await readTextHead(path.join(root, file.path), MAX_FILE_BYTES);
    if (read.kind !== 'text') continue;
    for (const span of secretSpans(read.text, file.path)) {
      for (const line of read.text.slice(span.start, span.end).split('\n')) {
        const value = line.trim();
        if (value.length >= MIN_VALUE_LENGTH) values.add(value);
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}
