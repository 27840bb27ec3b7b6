import path from 'node:path';
import { fingerprintFindings, findingsOf, trackedRecordFor, type FindingStore } from '../../workers/findings/index.js';
import { sarifForRun, writeSarif } from '../../workers/findings/sarif/index.js';
import { packageVersion } from '../../workers/packageVersion.js';
import type { RunResult } from '../../workers/run/types.js';

/**
 * Writes a run's findings as SARIF (`run --sarif`) the way `findings --sarif`
 * writes them: each finding with its tracked record's fingerprint, state and
 * suppression (read back from the finding store the run was just applied to),
 * so a suppressed finding is dismissed in code scanning instead of alerting
 * again. A finding without a record (tracking failed) keeps the fingerprint
 * the tracker would give it.
 *
 * @example await writeRunSarif(result, '/work/api', 'audit.sarif', findingStore);
 */
export async function writeRunSarif(result: RunResult, repoDir: string, file: string, findingStore: FindingStore): Promise<void> {
  const findings = findingsOf(result) ?? [];
  const fingerprinted = await fingerprintFindings(repoDir, findings);
  const { records } = findings.length > 0 ? await findingStore.load(result.target, result.worker) : { records: [] };
  const log = sarifForRun(result, {
    toolVersion: packageVersion(),
    fingerprints: (_finding, index) => fingerprinted[index]?.fingerprint,
    trackedRecords: (_finding, index) => {
      const finding = fingerprinted[index];
      return finding ? trackedRecordFor(records, finding) : undefined;
    },
  });
  await writeSarif(log, path.resolve(file));
  process.stderr.write(`wrote ${file}\n`);
}
