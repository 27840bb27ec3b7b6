import type { HeadlessWorkerDefinition, SandboxMode } from '../catalog/types.js';
import { buildContext, warmFileIndex } from '../context/index.js';
import { resolveModelId } from '../headless/index.js';
import type { BuiltContext } from '../run/types.js';
import { gatherChainedInputs } from './chainedInputs.js';
import { LOCAL_FINDINGS_SHARE, localFindingsForPrompt, type LocalFindingsForPrompt } from './localFindingsForPrompt.js';
import { renderPrompt } from './renderPrompt.js';
import type { ScanScope } from './scanScope.js';
import type { EngineOptions, RunRequest } from './types.js';

/** Share of the context budget that results of other workers may take. */
const CHAINED_SHARE = 0.15;

/** Everything a headless run sends, decided before Claude Code starts. */
export interface PreparedPrompt {
  readonly prompt: string;
  readonly modelId: string;
  readonly sandbox: SandboxMode;
  /** The context as recorded with the run (without its text). */
  readonly context: Omit<BuiltContext, 'text'> & { readonly candidateCount: number };
  readonly chainedInputs: readonly { readonly worker: string; readonly runId: string }[];
  readonly chainNotes: readonly string[];
}

/**
 * Chained inputs and the ranked, redacted context rendered into the worker's
 * prompt template: shared by a real run and a dry run, so the estimate is of
 * exactly what would be sent.
 */
export async function preparePrompt(
  def: HeadlessWorkerDefinition,
  request: RunRequest,
  target: string,
  engine: EngineOptions,
  scope?: ScanScope,
): Promise<PreparedPrompt> {
  const config = engine.config;
  const progress = request.onProgress;
  progress?.({ phase: 'context', detail: 'gathering results of related workers' });
  const chained = await gatherChainedInputs({
    worker: def,
    target,
    store: engine.store,
    budgetChars: Math.floor(def.contextBudgetChars * CHAINED_SHARE),
    enabled: config.chaining,
  });
  progress?.({ phase: 'context', detail: `building context (budget ${def.contextBudgetChars} chars)` });
  // The preload worker keeps this index warm; reusing it skips the walk's git log.
  const { index: wholeIndex } = await warmFileIndex({ repoDir: request.repoDir, patterns: def.contextPatterns, stateDir: engine.stateDir });
  // An incremental scan sees only the files changed since its base commit.
  const onlyFiles = scope?.onlyFiles;
  const index = onlyFiles ? { ...wholeIndex, files: wholeIndex.files.filter((file) => onlyFiles.has(file.path)) } : wholeIndex;
  // A security context starts from what the local audit flagged: those lines' regions go first, and the model checks the list.
  let local: LocalFindingsForPrompt | undefined;
  if (def.contextRanking === 'security') {
    progress?.({ phase: 'context', detail: 'running the local audit to steer the context' });
    local = await localFindingsForPrompt(request.repoDir, Math.floor(def.contextBudgetChars * LOCAL_FINDINGS_SHARE), (file) => !onlyFiles || onlyFiles.has(file), request.signal);
  }
  const localText = local?.text ? `${local.text}\n` : '';
  const context = await buildContext({
    repoDir: request.repoDir,
    patterns: def.contextPatterns,
    budgetChars: def.contextBudgetChars,
    ranking: def.contextRanking,
    reservedChars: chained.text.length + localText.length,
    index,
    ...(local ? { localHits: local.hits } : {}),
  });
  const notes = local ? [...chained.notes, local.note] : chained.notes;
  const rendered = renderPrompt(def.promptTemplate, {
    target,
    fileList: context.fileList.join('\n'),
    chained: `${localText}${notes.length > 0 ? `${chained.text}\n\n(${notes.join('; ')})` : chained.text}`,
    context: context.text,
  });
  const prompt =
    scope?.kind === 'incremental'
      ? `Scope: incremental scan. Only the ${context.files.length} file(s) changed since commit ${scope.baseCommit?.slice(0, 12)} are included below; findings in other files are tracked from earlier runs. Report what you find in these files.\n\n${rendered}`
      : rendered;
  const { text: _text, fileList: _fileList, ...builtRecord } = context;
  const contextRecord = local ? { ...builtRecord, localFindings: local.counts } : builtRecord;
  return {
    prompt,
    modelId: resolveModelId(request.model ?? def.model, { overrides: config.models, env: engine.env ?? process.env }),
    sandbox: request.sandbox ?? def.sandbox,
    context: contextRecord,
    chainedInputs: chained.used,
    chainNotes: notes,
  };
}
