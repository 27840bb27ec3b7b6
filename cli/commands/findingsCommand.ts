import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig, repositoryScopedConfig } from '../../workers/config/index.js';
import { InputError } from '../../workers/errors.js';
import {
  FINDING_STATES,
  loadRepositorySuppressions,
  parseConfigSuppressions,
  parseSuppressionLine,
  refreshSuppressions,
  REPOSITORY_SCOPE,
  SUPPRESSIONS_FILE_NAME,
  type FindingRecord,
  type FindingState,
  type FindingStore,
  type Suppression,
} from '../../workers/findings/index.js';
import { sarifForFindings, writeSarif } from '../../workers/findings/sarif/index.js';
import { packageVersion } from '../../workers/packageVersion.js';
import { openLocalState } from '../../workers/store/index.js';
import { DispatcherError } from '../cloud/DispatcherInvoker.js';
import { readCloudFindings } from '../cloud/readCloudFindings.js';
import { EXIT } from '../exitCodes.js';
import { formatRelative } from '../format/humanize.js';
import { hiddenLine } from '../format/renderRunResult.js';
import { assertOutputFile } from '../options/assertOutputFile.js';
import { nonEmptyArgument } from '../options/nonEmptyArgument.js';
import { renderTable } from '../format/renderTable.js';
import { detectTerminal, type Terminal } from '../format/terminal.js';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
const STATE_ORDER: readonly FindingState[] = ['new', 'returned', 'open', 'suppressed', 'fixed'];

/** Tracked findings of the repository, with suppressions applied as of now. */
export async function readFindings(options: { repo: string; stateDir?: string; config?: string; target?: string; worker?: string }): Promise<FindingRecord[]> {
  const repoDir = path.resolve(options.repo);
  const config = await loadConfig(options.config ? { file: options.config } : {});
  const { findingStore } = await openLocalState(repoDir, options.stateDir);
  const fromRepository = loadRepositorySuppressions(repoDir, repositoryScopedConfig(config, repoDir).suppressionLines, config.repositorySuppressions);
  for (const refused of fromRepository.refused) process.stderr.write(`note: repository suppression refused: ${refused}\n`);
  const suppressions = [...parseConfigSuppressions(config.suppressions), ...fromRepository.suppressions];
  const sets = await findingStore.list({ ...(options.target ? { target: options.target } : {}), ...(options.worker ? { worker: options.worker } : {}) });
  const now = new Date();
  return sets.flatMap((set) => refreshSuppressions(set.records, suppressions, now));
}

export function renderFindingTable(records: readonly FindingRecord[], terminal: Terminal, now = new Date()): string {
  const sorted = [...records].sort(
    (a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || (a.file < b.file ? -1 : 1),
  );
  return renderTable(sorted, [
    { header: 'STATE', value: (r) => r.state },
    { header: 'SEVERITY', value: (r) => r.severity },
    { header: 'LOCATION', value: locationOf, shrinkOrder: 3, minWidth: 16 },
    { header: 'RULE', value: (r) => r.ruleId, shrinkOrder: 2, minWidth: 12 },
    // What `suppress` takes: never left out or cut.
    { header: 'FINGERPRINT', value: (r) => r.fingerprint, shrinkOrder: 5, minWidth: 20 },
    { header: 'FIRST SEEN', value: (r) => formatRelative(new Date(r.firstSeen), now), optional: true, shrinkOrder: 4 },
    { header: 'MESSAGE', value: (r) => `${r.context ? `[${r.context}] ` : ''}${r.state === 'suppressed' && r.suppression ? `[${r.suppression.origin === 'repository' ? 'suppressed by the repository' : 'suppressed'}: ${r.suppression.reason}] ${r.message}` : r.message}`, shrinkOrder: 1, minWidth: 12, optional: true, wraps: true },
  ], terminal);
}

/** `findings --cloud`: the stack's findings, with the suppressions of `--config` when one is named. */
async function readCloudFindingsFor(options: Record<string, string | undefined>, configFile: string | undefined): Promise<FindingRecord[]> {
  if (options.stateDir) throw new InputError('--state-dir names local state; drop it with --cloud (the stack\'s table is read)');
  const config = configFile ? await loadConfig({ file: configFile }) : null;
  return readCloudFindings(
    {
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.table ? { table: options.table } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
      ...(options.target ? { target: options.target } : {}),
      ...(options.worker ? { worker: options.worker } : {}),
    },
    config ? parseConfigSuppressions(config.suppressions) : [],
  );
}

/** Refuses an expiry that has already passed: such a suppression would never apply. */
function assertFutureDate(until: string, now = new Date()): void {
  if (Date.parse(`${until}T00:00:00Z`) > now.getTime()) return;
  const example = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  throw new InputError(`--until ${until} is not in the future: a suppression ends at the start of that day (UTC), so this one would never apply; give a later date, e.g. --until ${example}`);
}

/** Refuses a fingerprint no tracked finding of the repository has: a typo would otherwise suppress nothing, silently. */
async function assertTrackedFingerprint(fingerprint: string, findingStore: FindingStore, repo: string, stateDir: string): Promise<void> {
  const sets = await findingStore.list();
  if (sets.some((set) => set.records.some((record) => record.fingerprint === fingerprint))) return;
  throw new InputError(
    `no tracked finding of ${repo} has fingerprint ${fingerprint} (looked in ${stateDir}); copy one from \`headless-workers findings --repo ${repo}\`, ` +
      'use rule:path-pattern, or pass --untracked to suppress a fingerprint tracked elsewhere (e.g. by `findings --cloud`)',
  );
}

/** `file:line`; a whole-file finding (line 0) shows its file, a repository-wide one says so. */
function locationOf(record: FindingRecord): string {
  if (record.file === REPOSITORY_SCOPE) return '(repository)';
  return record.line > 0 ? `${record.file}:${record.line}` : record.file;
}

function countByState(records: readonly FindingRecord[]): string {
  return STATE_ORDER.map((state) => `${records.filter((r) => r.state === state).length} ${state}`).join(', ');
}

/**
 * `findings` and `suppress`: what is new since the last run, and how to
 * silence what is not a problem. `findings --cloud` reads the deployed
 * stack's table instead of the local state (same table, JSON and SARIF).
 */
export function findingsCommands(setExitCode: (code: number) => void = () => {}): Command[] {
  const findings = new Command('findings')
    .description('findings tracked across runs: new, open, fixed, returned, suppressed')
    .option('--repo <dir>', 'repository', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--target <name>', 'only this target', nonEmptyArgument('a target name, or leave the option out'))
    .option('--worker <name>', 'only this worker', nonEmptyArgument('a worker name, or leave the option out'))
    .addOption(new Option('--state <state>', 'only this state (default: all but fixed)').choices([...FINDING_STATES]))
    .option('--all', 'show findings in tests, docs, examples and translations too (default: production code only)')
    .option('--json', 'print as JSON')
    .option('--sarif <file>', 'also write the open findings (new, open, returned, suppressed) as SARIF 2.1.0', nonEmptyArgument('a file, e.g. --sarif findings.sarif'))
    .option('--cloud', 'read the findings the deployed stack tracks (its DynamoDB table) instead of the local state')
    .option('--stack <name>', 'with --cloud: stack whose outputs name the table (default: $HW_STACK_NAME or HeadlessWorkers)')
    .option('--table <name>', 'with --cloud: the results table (skips the stack lookup)')
    .option('--region <region>', 'with --cloud: AWS region (default: the SDK\'s, e.g. $AWS_REGION)')
    .option('--endpoint-url <url>', 'with --cloud: custom endpoint for every AWS call, e.g. an emulator (default: $HW_AWS_ENDPOINT)')
    .action(async (options, command: Command) => {
      const cloudOnly = (['stack', 'table', 'region', 'endpointUrl'] as const).find((name) => options[name] !== undefined);
      if (!options.cloud && cloudOnly) throw new InputError(`--${cloudOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} reads the deployed stack: add --cloud`);
      if (options.sarif) await assertOutputFile('--sarif', options.sarif);
      let all: FindingRecord[];
      try {
        all = options.cloud
          ? await readCloudFindingsFor(options, command.optsWithGlobals().config)
          : await readFindings({ repo: options.repo, stateDir: options.stateDir, config: command.optsWithGlobals().config, target: options.target, worker: options.worker });
      } catch (error) {
        if (!(error instanceof DispatcherError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        return setExitCode(EXIT.runFailed);
      }
      const selected = all.filter((r) => (options.state ? r.state === options.state : r.state !== 'fixed'));
      // Signal first: findings in tests, docs, examples and translations only with --all (JSON and SARIF keep them all).
      const shown = options.all || options.json ? selected : selected.filter((r) => r.context === undefined);
      const hidden = hiddenLine(selected.length - shown.length);
      if (options.sarif) {
        await writeSarif(sarifForFindings(all, { toolVersion: packageVersion() }), path.resolve(options.sarif));
        process.stderr.write(`wrote ${options.sarif}\n`);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${countByState(all)}\n\n${shown.length > 0 ? renderFindingTable(shown, detectTerminal()) : 'no findings in this selection'}\n${hidden ? `${hidden}\n` : ''}`);
    });

  const suppress = new Command('suppress')
    .description(`suppress a finding by fingerprint, or a rule under a path pattern (appends to ${SUPPRESSIONS_FILE_NAME} in the repository)`)
    .argument('<selector>', 'a 20-digit fingerprint (see `findings`), or rule:path-pattern such as hardcoded-secret:test/fixtures/**')
    .requiredOption('--reason <text>', 'why this is not a problem (kept with the finding)')
    .option('--until <date>', 'expiry date, YYYY-MM-DD, in the future (the suppression ends at the start of that day, UTC)')
    .option('--repo <dir>', 'repository', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--state-dir <dir>', 'state folder the fingerprint is looked up in (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--untracked', 'accept a fingerprint no local run has tracked (e.g. one from `findings --cloud`)')
    .action(async (selector: string, options) => {
      const line = `${selector}${options.until ? ` until=${options.until}` : ''} ${String(options.reason).replace(/\s+/g, ' ').trim()}`;
      let parsed: Suppression;
      try {
        parsed = parseSuppressionLine(line, 'suppress');
      } catch (error) {
        throw new InputError((error as Error).message.replace(/^suppress: /, ''));
      }
      if (parsed.until) assertFutureDate(parsed.until);
      const repoDir = path.resolve(options.repo);
      const { stateDir, findingStore } = await openLocalState(repoDir, options.stateDir);
      if (parsed.fingerprint && !options.untracked) await assertTrackedFingerprint(parsed.fingerprint, findingStore, options.repo, stateDir);
      const file = path.join(repoDir, SUPPRESSIONS_FILE_NAME);
      const existing = await readFile(file, 'utf8').catch(() => '');
      const header = existing ? '' : `# Findings that are not problems. One per line:\n# <fingerprint | rule:path-pattern> [until=YYYY-MM-DD] <reason>\n`;
      await appendFile(file, `${header}${existing && !existing.endsWith('\n') ? '\n' : ''}${line}\n`);
      process.stdout.write(`suppressed ${selector}${options.until ? ` until ${options.until}` : ''} (${path.relative(process.cwd(), file) || file})\n`);
    });
  return [findings, suppress];
}
