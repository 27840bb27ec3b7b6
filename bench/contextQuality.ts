// Context quality of the audit (issue 12): the share of labelled vulnerable lines that reach one default
// audit's prompt, on Juice Shop (when ../shared/corpora has it) and on an application the bench generates.
// Figures are printed, never asserted. In the suite: `npm run bench -- --only=quality`; alone: `npx tsx bench/contextQuality.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_WORKERS } from '../workers/catalog/index.js';
import { buildContext } from '../workers/context/buildContext.js';
import type { RankingStrategy } from '../workers/context/types.js';
import { runLocalAudit } from '../workers/local/audit/index.js';
import { lineRecall, type LabelledLine } from './promptLineCoverage.js';
import { fmtMs, type SectionReport } from './row.js';
import { writeVulnerableFlaskApp, type LabelledApp } from './vulnerableFlaskApp.js';
import { writeVulnerablePhpApp } from './vulnerablePhpApp.js';

const ROOT = path.join(import.meta.dirname, '..');
const CORPORA = path.join(ROOT, '..', 'shared', 'corpora');

/** One ranking's figures on one application. */
export interface QualityFigures {
  readonly app: string;
  readonly ranking: string;
  readonly shown: number;
  readonly total: number;
  readonly chars: number;
  readonly files: number;
  readonly missed: readonly LabelledLine[];
  /** The whole prompt (template, file list, local findings, context), when measured through the CLI. */
  readonly promptChars?: number;
}

/** Juice Shop unpacked under a temporary directory with its labels, or null (and why) when the corpus is absent. */
export function prepareJuiceShop(workDir: string): LabelledApp | string {
  const archive = path.join(CORPORA, 'juice-shop.tar.gz');
  const labelsFile = path.join(CORPORA, 'juice-shop.labels.json');
  if (!existsSync(archive) || !existsSync(labelsFile)) return `Juice Shop corpus not found at ${CORPORA}: skipped`;
  const dir = path.join(workDir, 'juice-shop');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  if (untar.status !== 0) return `Juice Shop corpus could not be unpacked: ${untar.stderr.trim()}`;
  const doc = JSON.parse(readFileSync(labelsFile, 'utf8')) as { vulnerabilities: { locations: { file: string; lines: number[] }[] }[] };
  const seen = new Set<string>();
  const labels: LabelledLine[] = [];
  for (const vulnerability of doc.vulnerabilities) {
    for (const location of vulnerability.locations) {
      for (const line of location.lines) {
        const key = `${location.file}:${line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        labels.push({ file: location.file, line });
      }
    }
  }
  return { name: 'OWASP Juice Shop (TypeScript)', dir: path.join(dir, 'repo'), labels, files: 0, bytes: 0 };
}

/** The audit worker's context for `ranking`, built in-process, measured against the labels. */
export async function measureRanking(app: LabelledApp, ranking: RankingStrategy): Promise<QualityFigures> {
  const audit = BUILTIN_WORKERS.find((worker) => worker.type === 'audit');
  if (!audit || audit.mode !== 'headless') throw new Error('the catalog has no headless audit worker');
  const context = await buildContext({ repoDir: app.dir, patterns: audit.contextPatterns, budgetChars: audit.contextBudgetChars, ranking });
  const recall = lineRecall(context.text, app.labels);
  return { app: app.name, ranking, ...recall, chars: context.usedChars, files: context.files.length };
}

/**
 * What the CLI's `run audit --dry-run --json` puts in the prompt (the source
 * run through tsx, as the tests run the CLI, so the figure is of this tree,
 * never of a stale build), measured against the labels.
 */
export function measureCliPrompt(app: LabelledApp, stateDir: string): QualityFigures | string {
  const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const run = spawnSync(process.execPath, ['--import', loader, path.join(ROOT, 'cli', 'main.ts'), 'run', 'audit', '--repo', app.dir, '--dry-run', '--json', '--state-dir', stateDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
  });
  if (run.status !== 0) return `run audit --dry-run failed (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}`;
  const out = JSON.parse(run.stdout) as { prompt: string; promptChars: number; context: { usedChars: number; files: unknown[] } };
  const recall = lineRecall(out.prompt, app.labels);
  return { app: app.name, ranking: 'security + local hits (CLI dry run)', ...recall, chars: out.context.usedChars, files: out.context.files.length, promptChars: out.promptChars };
}

/** The local audit's own reach: labelled lines it flags, and where its findings are. */
export async function measureLocalAudit(app: LabelledApp): Promise<{ flagged: number; total: number; production: number; elsewhere: number }> {
  const { findings } = await runLocalAudit(app.dir);
  const flaggedAt = new Set(findings.map((finding) => `${finding.file}:${finding.line}`));
  const flagged = app.labels.filter((label) => flaggedAt.has(`${label.file}:${label.line}`)).length;
  const elsewhere = findings.filter((finding) => finding.context !== undefined).length;
  return { flagged, total: app.labels.length, production: findings.length - elsewhere, elsewhere };
}

/** Every measured application, prepared under `workDir`; notes say what was skipped. */
export function prepareQualityApps(workDir: string): { apps: LabelledApp[]; notes: string[] } {
  const notes: string[] = [];
  const apps: LabelledApp[] = [];
  const juice = prepareJuiceShop(workDir);
  if (typeof juice === 'string') notes.push(juice);
  else apps.push(juice);
  apps.push(writeVulnerableFlaskApp(path.join(workDir, 'flask-shop')));
  apps.push(writeVulnerablePhpApp(path.join(workDir, 'php-forum')));
  return { apps, notes };
}

/** The share of labels shown, as a percentage with one decimal. */
const share = (figures: QualityFigures): number => (figures.total === 0 ? 0 : (100 * figures.shown) / figures.total);

/** Context recall at the bar of issue 12. */
const RECALL_BAR = 80;

/**
 * The quality section of `npm run bench`: on each application, the share of
 * labelled vulnerable lines in one default audit's prompt (CLI dry run: the
 * catalog's ranking with the local audit's hits), beside the rankings audits
 * used before (`source-first`, `default`), built in-process on the same tree;
 * and the local audit's own reach on the labels.
 */
export async function benchQuality(workDir = path.join(os.tmpdir(), 'hw-bench-quality')): Promise<SectionReport> {
  const started = performance.now();
  const report: SectionReport = { rows: [], notes: [], details: ['', '### context quality: labelled lines not in the prompt', ''] };
  const { apps, notes } = prepareQualityApps(workDir);
  report.notes.push(...notes);
  for (const app of apps) {
    const cli = measureCliPrompt(app, path.join(workDir, 'state'));
    if (typeof cli === 'string') {
      report.notes.push(`quality, ${app.name}: ${cli}`);
      continue;
    }
    const before = await Promise.all((['security', 'source-first', 'default'] as const).map((ranking) => measureRanking(app, ranking)));
    const [securityOnly, sourceFirst, byRole] = before as [QualityFigures, QualityFigures, QualityFigures];
    const brief = (figures: QualityFigures): string => `${figures.ranking} ${figures.shown}/${figures.total} (${share(figures).toFixed(1)}%), ${figures.chars} chars, ${figures.files} files`;
    report.rows.push({
      measure: `quality: context recall, ${app.name}`,
      ours: `${cli.shown}/${cli.total} labelled lines in the prompt (${share(cli).toFixed(1)}%), ${cli.chars} chars, ${cli.files} files (whole prompt ${cli.promptChars} chars)`,
      reference: `${brief(sourceFirst)} · ${brief(byRole)} · ${brief(securityOnly)} (no local hits)`,
      ratio: `${(share(cli) / Math.max(share(sourceFirst), 0.1)).toFixed(2)}x source-first`,
      bar: `≥ ${RECALL_BAR}% of labelled lines (issue 12)`,
      verdict: share(cli) >= RECALL_BAR ? 'met' : `NOT met (${share(cli).toFixed(1)}%)`,
    });
    const local = await measureLocalAudit(app);
    report.rows.push({
      measure: `quality: local audit, ${app.name}`,
      ours: `${local.flagged}/${local.total} labelled lines flagged; ${local.production} findings in production code, ${local.elsewhere} in tests, docs, examples or translations`,
      reference: 'n/a',
      ratio: 'n/a',
      bar: 'signal first: production findings shown by default',
      verdict: 'printed',
    });
    report.details.push(`- ${app.name} (${cli.ranking}): ${cli.missed.map((miss) => `${miss.file}:${miss.line}`).join(', ') || 'none'}`);
  }
  report.notes.push(
    `quality: labelled lines are unique file:line pairs (Juice Shop's 33 challenges label 35); a line counts when the prompt shows it whole, in a head or in a "lines a-b" region (bench/promptLineCoverage.ts); the other applications are generated by bench/vulnerableFlaskApp.ts and bench/vulnerablePhpApp.ts (the PHP one written after the ranking was tuned, as a held-out check); section took ${fmtMs(performance.now() - started)}`,
  );
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await benchQuality();
  for (const row of report.rows) console.log(`${row.measure}: ${row.ours} | ${row.reference} | ${row.verdict}`);
  for (const line of [...report.details, ...report.notes]) console.log(line);
}
