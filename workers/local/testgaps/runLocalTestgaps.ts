import { fileRole, subjectStem } from '../../context/index.js';
import { listRepositoryFiles } from '../../files/index.js';
import type { LocalWorkerContext } from '../types.js';

/**
 * The local half of testgaps: pairs each source file with tests that name the
 * same subject (`auth.ts` ↔ `auth.test.ts`, `test_auth.py`, `auth_test.go`)
 * and lists the source files no test names, largest first. It cannot see
 * which behaviours a test covers: that is the headless worker's job.
 */
export async function runLocalTestgaps(context: LocalWorkerContext) {
  const { files } = await listRepositoryFiles(context.repoDir);
  const testedStems = new Set(files.filter((file) => fileRole(file.path) === 'test').map((file) => subjectStem(file.path)));
  const sources = files.filter((file) => fileRole(file.path) === 'source');
  const untested = sources
    .filter((file) => !testedStems.has(subjectStem(file.path)))
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1))
    .map((file) => ({ path: file.path, bytes: file.size }));
  const tested = sources.length - untested.length;
  return {
    summary: `${tested} of ${sources.length} source files have a test named after them; ${untested.length} have none`,
    sourceFiles: sources.length,
    testFiles: testedStems.size,
    testedSourceFiles: tested,
    untestedFiles: untested,
  };
}
