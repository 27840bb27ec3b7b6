import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../../workers/config/index.js';
import { InputError } from '../../workers/errors.js';
import {
  FINDING_STATES,
  loadSuppressionsFile,
  parseSuppressionLine,
  refreshSuppressions,
  SUPPRESSIONS_FILE_NAME,
  type FindingRecord,
  type FindingState,
} from '../../workers/findings/index.js';
import { sarifForFindings, writeSarif } from '../../workers/findings/sarif/index.js';
import { packageVersion } from '../../workers/packageVersion.js';
import { openLocalState } from '../../workers/store/index.js';
import { formatRelative } from '../format/humanize.js';
import { renderTable } from '../format/renderTable.js';
import { detectTerminal, type Terminal } from '../format/terminal.js';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
const STATE_ORDER: readonly FindingState[] = ['new', 'returned', 'open', 'suppressed', 'fixed'];

/** Tracked findings of the repository, with suppressions applied as of now. */
export async function readFindings(options: { repo: string; stateDir?: string; config?: string; target?: string; worker?: string }): Promise<FindingRecord[]> {
  const repoDir = path.resolve(options.repo);
  const config = await loadConfig({ ...(options.config ? { file: options.config } : {}), lookupDir: repoDir });
  const { findingStore } = await openLocalState(repoDir, options.stateDir);
  const suppressions = [
    ...config.suppressions.map((line, index) => parseSuppressionLine(line, `config suppressions[${index}]`)),
    ...(await loadSuppressionsFile(path.join(repoDir, SUPPRESSIONS_FILE_NAME))),
  ];
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
    { header: 'LOCATION', value: (r) => `${r.file}:${r.line}`, shrinkOrder: 3, minWidth: 16 },
    { header: 'RULE', value: (r) => r.ruleId, shrinkOrder: 2, minWidth: 12 },
    { header: 'FINGERPRINT', value: (r) => r.fingerprint, optional: true, shrinkOrder: 5 },
    { header: 'FIRST SEEN', value: (r) => formatRelative(new Date(r.firstSeen), now), optional: true, shrinkOrder: 4 },
    { header: 'MESSAGE', value: (r) => (r.state === 'suppressed' && r.suppression ? `[suppressed: ${r.suppression.reason}] ${r.message}` : r.message), shrinkOrder: 1, minWidth: 12, optional: true },
  ], terminal);
}

function countByState(records: readonly FindingRecord[]): string {
  return STATE_ORDER.map((state) => `${records.filter((r) => r.state === state).length} ${state}`).join(', ');
}

/** `findings` and `suppress`: what is new since the last run, and how to silence what is not a problem. */
export function findingsCommands(): Command[] {
  const findings = new Command('findings')
    .description('findings tracked across runs: new, open, fixed, returned, suppressed')
    .option('--repo <dir>', 'repository', '.')
    .option('--state-dir <dir>', 'state folder (default: <repo>/.headless-workers)')
    .option('--target <name>', 'only this target')
    .option('--worker <name>', 'only this worker')
    .addOption(new Option('--state <state>', 'only this state (default: all but fixed)').choices([...FINDING_STATES]))
    .option('--json', 'print as JSON')
    .option('--sarif <file>', 'also write the open findings (new, open, returned, suppressed) as SARIF 2.1.0')
    .action(async (options, command: Command) => {
      const all = await readFindings({ repo: options.repo, stateDir: options.stateDir, config: command.optsWithGlobals().config, target: options.target, worker: options.worker });
      const shown = all.filter((r) => (options.state ? r.state === options.state : r.state !== 'fixed'));
      if (options.sarif) {
        await writeSarif(sarifForFindings(all, { toolVersion: packageVersion() }), path.resolve(options.sarif));
        process.stderr.write(`wrote ${options.sarif}\n`);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${countByState(all)}\n\n${shown.length > 0 ? renderFindingTable(shown, detectTerminal()) : 'no findings in this selection'}\n`);
    });

  const suppress = new Command('suppress')
    .description(`suppress a finding by fingerprint, or a rule under a path pattern (appends to ${SUPPRESSIONS_FILE_NAME} in the repository)`)
    .argument('<selector>', 'a 20-digit fingerprint, or rule:path-pattern such as hardcoded-secret:test/fixtures/**')
    .requiredOption('--reason <text>', 'why this is not a problem (kept with the finding)')
    .option('--until <date>', 'expiry date, YYYY-MM-DD')
    .option('--repo <dir>', 'repository', '.')
    .action(async (selector: string, options) => {
      const line = `${selector}${options.until ? ` until=${options.until}` : ''} ${String(options.reason).replace(/\s+/g, ' ').trim()}`;
      try {
        parseSuppressionLine(line, 'suppress');
      } catch (error) {
        throw new InputError((error as Error).message.replace(/^suppress: /, ''));
      }
      const file = path.join(path.resolve(options.repo), SUPPRESSIONS_FILE_NAME);
      const existing = await readFile(file, 'utf8').catch(() => '');
      const header = existing ? '' : `# Findings that are not problems. One per line:\n# <fingerprint | rule:path-pattern> [until=YYYY-MM-DD] <reason>\n`;
      await appendFile(file, `${header}${existing && !existing.endsWith('\n') ? '\n' : ''}${line}\n`);
      process.stdout.write(`suppressed ${selector}${options.until ? ` until ${options.until}` : ''} (${path.relative(process.cwd(), file) || file})\n`);
    });
  return [findings, suppress];
}
