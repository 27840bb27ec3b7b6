import type { Finding, RunResult } from '../../run/types.js';
import type { FindingRecord, FindingState } from '../types.js';
import { findingsOf } from '../workerFindings.js';
import { DEFAULT_INFORMATION_URI, SARIF_SCHEMA_URI, SARIF_TOOL_NAME, SARIF_VERSION, SOURCE_ROOT_BASE_ID } from './constants.js';
import { SarifExportError } from './errors.js';
import { readFinding, toSarifResult, type ResultExtras } from './sarifResult.js';
import { SarifRuleSet } from './SarifRuleSet.js';
import type {
  FindingFingerprints,
  SarifFindingsOptions,
  SarifInvocation,
  SarifLog,
  SarifNotification,
  SarifOptions,
  SarifProperties,
  SarifResult,
  SarifRun,
  SarifRunOptions,
  SarifSuppression,
} from './types.js';

/** How each exported state reads against the previous run. Fixed findings are not exported. */
const BASELINE_STATE: Readonly<Record<Exclude<FindingState, 'fixed'>, NonNullable<SarifResult['baselineState']>>> = {
  new: 'new',
  returned: 'new',
  open: 'unchanged',
  suppressed: 'unchanged',
};

const MAX_ERROR_CHARS = 500;

/**
 * A SARIF 2.1.0 log of one run of a JSON worker: one SARIF run whose results
 * are the run's findings (`parsedOutput.findings` of audit, local and
 * headless; predict's and ultralearn's items mapped by workerFindings.ts). With
 * `trackedRecords`, each finding carries what its tracked record says, as in
 * {@link sarifForFindings}: fingerprint, state and a suppression when suppressed.
 * A run without a findings array (another worker, a failed run,
 * output that did not parse) gives a valid log with zero results, and says
 * why in `invocations[0].toolExecutionNotifications`. `automationDetails.id`
 * is `<worker>/<target>/`, so code scanning keeps each worker and target in
 * its own category.
 *
 * @example
 * const log = sarifForRun(result, { toolVersion: '0.1.0', fingerprints: (finding) => fingerprintFinding(finding, null) });
 * await writeSarif(log, 'audit.sarif');
 */
export function sarifForRun(result: RunResult, options: SarifRunOptions): SarifLog {
  checkOptions(options);
  const rules = new SarifRuleSet();
  const results: SarifResult[] = [];
  const findings = findingsOf(result);
  let leftOut = 0;
  findings?.forEach((value, index) => {
    const finding = readFinding(value);
    const record = finding ? options.trackedRecords?.(finding, index) : undefined;
    const sarif = finding && toSarifResult(finding, rules, record ? trackedExtras(record) : { fingerprint: fingerprintOf(options.fingerprints, finding, index) });
    if (sarif) results.push(sarif);
    else leftOut++;
  });

  const notifications: SarifNotification[] = [];
  if (!result.success) {
    const reason = result.error ? `: ${result.error.slice(0, MAX_ERROR_CHARS)}` : '';
    notifications.push({ level: 'error', message: { text: `The run ended ${result.status}${reason}` } });
  }
  if (result.outputError) {
    notifications.push({ level: 'warning', message: { text: 'The run output could not be parsed or validated: its findings are not in this log.' } });
  } else if (findings === null && result.success) {
    notifications.push({ level: 'note', message: { text: `The ${result.worker} output has no findings array: nothing to report.` } });
  }
  if (leftOut > 0) notifications.push(leftOutNotification(leftOut));

  const invocation: SarifInvocation = {
    executionSuccessful: result.success,
    ...timeField('startTimeUtc', result.startedAt),
    ...timeField('endTimeUtc', result.finishedAt),
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };
  const properties: SarifProperties = {
    runId: result.runId,
    worker: result.worker,
    target: result.target,
    mode: result.mode,
    status: result.status,
    ...(result.model ? { model: result.model } : {}),
  };
  return sarifLog([sarifRun(options, rules, results, { worker: result.worker, target: result.target }, [invocation], properties)]);
}

/**
 * A SARIF 2.1.0 log of the findings open now: records in state new, open or
 * returned as plain results, suppressed ones with a `suppressions` entry of
 * kind `external` whose justification is the suppression's reason (code
 * scanning shows them as dismissed), fixed ones left out. One SARIF run per
 * (worker, target), each with `automationDetails.id` `<worker>/<target>/`;
 * with no records, one empty run named by `options.scope` (when given).
 *
 * @example await writeSarif(sarifForFindings(await store.list({ target: 'api' }), { toolVersion: '0.1.0' }), 'open.sarif');
 */
export function sarifForFindings(records: readonly FindingRecord[], options: SarifFindingsOptions): SarifLog {
  checkOptions(options);
  const groups = new Map<string, FindingRecord[]>();
  for (const record of records) {
    if (record.state === 'fixed') continue;
    const key = `${record.worker}\u0000${record.target}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  if (groups.size === 0) {
    return sarifLog([sarifRun(options, new SarifRuleSet(), [], options.scope, [{ executionSuccessful: true }])]);
  }
  const runs = [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    const rules = new SarifRuleSet();
    const results: SarifResult[] = [];
    let leftOut = 0;
    for (const record of group) {
      const finding = readFinding(record);
      const sarif = finding && toSarifResult(finding, rules, trackedExtras(record));
      if (sarif) results.push(sarif);
      else leftOut++;
    }
    const invocation: SarifInvocation = {
      executionSuccessful: true,
      ...(leftOut > 0 ? { toolExecutionNotifications: [leftOutNotification(leftOut)] } : {}),
    };
    const { worker, target } = group[0]!;
    return sarifRun(options, rules, results, { worker, target }, [invocation]);
  });
  return sarifLog(runs);
}

/**
 * What a tracked finding adds to its result, in every export alike: its
 * fingerprint, baseline state, lifecycle properties and, when suppressed, the
 * suppression (so code scanning shows it dismissed, never as a fresh alert).
 */
function trackedExtras(record: FindingRecord): ResultExtras {
  const state = record.state as Exclude<FindingState, 'fixed'>;
  return {
    fingerprint: record.fingerprint,
    ...(state in BASELINE_STATE ? { baselineState: BASELINE_STATE[state] } : {}),
    ...(state === 'suppressed' ? { suppression: suppressionOf(record) } : {}),
    properties: {
      state: record.state,
      firstSeen: record.firstSeen,
      lastSeen: record.lastSeen,
      runCount: record.runCount,
      latestRunId: record.latestRunId,
      ...(record.detectedBy ? { detectedBy: record.detectedBy } : {}),
      ...(record.renamedFrom ? { renamedFrom: record.renamedFrom } : {}),
    },
  };
}

function sarifLog(runs: readonly SarifRun[]): SarifLog {
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs };
}

function sarifRun(
  options: SarifOptions,
  rules: SarifRuleSet,
  results: readonly SarifResult[],
  scope: { readonly worker: string; readonly target: string } | undefined,
  invocations: readonly SarifInvocation[],
  properties?: SarifProperties,
): SarifRun {
  const control = options.versionControl;
  return {
    tool: {
      driver: {
        name: SARIF_TOOL_NAME,
        informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
        version: options.toolVersion,
        rules: rules.toSarif(),
      },
    },
    ...(scope ? { automationDetails: { id: `${scope.worker}/${scope.target}/` } } : {}),
    ...(control
      ? {
          versionControlProvenance: [
            {
              repositoryUri: control.repositoryUri,
              revisionId: control.revisionId,
              ...(control.branch ? { branch: control.branch } : {}),
              mappedTo: { uriBaseId: SOURCE_ROOT_BASE_ID },
            },
          ],
        }
      : {}),
    invocations,
    results,
    ...(properties ? { properties } : {}),
  };
}

function fingerprintOf(fingerprints: FindingFingerprints | undefined, finding: Finding, index: number): string | undefined {
  if (!fingerprints) return undefined;
  return typeof fingerprints === 'function' ? fingerprints(finding, index) : fingerprints.get(index);
}

/**
 * A suppression the analysed repository committed for itself is `inSource` (it lives in
 * the code under review) and says so in its justification and `origin`, so a security
 * team can tell it from one their own configuration made (`external`).
 */
function suppressionOf(record: FindingRecord): SarifSuppression {
  const suppression = record.suppression;
  const fromRepository = suppression?.origin === 'repository';
  return {
    kind: fromRepository ? 'inSource' : 'external',
    status: 'accepted',
    ...(suppression?.reason ? { justification: fromRepository ? `[suppressed by the repository] ${suppression.reason}` : suppression.reason } : {}),
    ...(suppression
      ? { properties: { source: suppression.source, origin: suppression.origin ?? 'operator', ...(suppression.until ? { until: suppression.until } : {}) } }
      : {}),
  };
}

function leftOutNotification(count: number): SarifNotification {
  const findings = count === 1 ? '1 finding was' : `${count} findings were`;
  return { level: 'warning', message: { text: `${findings} left out: not a finding, or its file is not a path inside the repository.` } };
}

/** An ISO time as SARIF wants it (UTC, `Z`), or nothing when the run record's time does not parse. */
function timeField(name: 'startTimeUtc' | 'endTimeUtc', value: string): Partial<Record<typeof name, string>> {
  const time = Date.parse(value);
  return Number.isNaN(time) ? {} : { [name]: new Date(time).toISOString() };
}

function checkOptions(options: SarifOptions): void {
  if (typeof options.toolVersion !== 'string' || options.toolVersion.trim() === '') {
    throw new SarifExportError('toolVersion must be a non-empty string (the headless-workers version)');
  }
  if (options.informationUri !== undefined && !isAbsoluteUri(options.informationUri)) {
    throw new SarifExportError(`informationUri must be an absolute URI, got '${options.informationUri}'`);
  }
  const control = options.versionControl;
  if (control) {
    if (!isAbsoluteUri(control.repositoryUri)) {
      throw new SarifExportError(`versionControl.repositoryUri must be an absolute URI, got '${control.repositoryUri}'`);
    }
    if (control.revisionId.trim() === '') throw new SarifExportError('versionControl.revisionId must not be empty');
  }
}

function isAbsoluteUri(value: string): boolean {
  return URL.canParse(value);
}
