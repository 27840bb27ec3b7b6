import type { JsonSchema } from '../catalog/types.js';
import { parseMarkdown } from './parseMarkdown.js';
import { validateJson } from './validateJson.js';

/** Where the accepted JSON came from. */
export type JsonOutputSource = 'structured' | 'whole' | 'fence' | 'embedded';

export type JsonExtraction =
  | { readonly ok: true; readonly value: unknown; readonly source: JsonOutputSource }
  | { readonly ok: false; readonly reason: string };

export interface ExtractJsonOptions {
  /**
   * `structured_output` of Claude Code's JSON result (present when the model called the
   * `--json-schema` tool); tried before the text. `undefined` or `null` means absent.
   */
  readonly structuredOutput?: unknown;
}

interface Candidate {
  readonly source: JsonOutputSource;
  /** Human label for reasons: "fence 2 (```json)", "text at offset 120". */
  readonly label: string;
  readonly text?: string;
  readonly value?: unknown;
}

/** Prose full of stray brackets must not make the span search quadratic without bound. */
const MAX_EMBEDDED_STARTS = 2_000;

/**
 * Finds the JSON a model meant as its answer. Tries, in order: `structured_output`, the
 * whole text, each fenced block (```json ones first), then balanced `{...}`/`[...]` spans in
 * prose. The first that parses and (with a schema) validates wins, so a ```bash block or a
 * JSON example that does not fit the schema is skipped.
 *
 * @example
 * const out = extractJsonOutput(result.result, worker.outputSchema, { structuredOutput: result.structured_output });
 * if (out.ok) save(out.value); else keepRawWithError(out.reason);
 */
export function extractJsonOutput(text: string, schema?: JsonSchema, options: ExtractJsonOptions = {}): JsonExtraction {
  let best: { readonly label: string; readonly errors: readonly string[] } | undefined;
  let wholeParseError: string | undefined;
  /** Of fences and spans: the whole text failing is expected when the answer has prose. */
  let firstParseError: string | undefined;
  let beyondWhole = 0;

  for (const candidate of candidates(text, options)) {
    const inner = candidate.source === 'fence' || candidate.source === 'embedded';
    if (inner) beyondWhole += 1;
    let value: unknown;
    if (candidate.text === undefined) {
      value = candidate.value;
    } else {
      try {
        value = JSON.parse(candidate.text);
      } catch (error) {
        const message = `${candidate.label}: ${(error as Error).message}`;
        if (inner) firstParseError ??= message;
        else wholeParseError = message;
        continue;
      }
    }
    if (!schema) return { ok: true, value, source: candidate.source };
    const verdict = validateJson(value, schema);
    if (verdict.valid) return { ok: true, value, source: candidate.source };
    if (!best || verdict.errors.length < best.errors.length) best = { label: candidate.label, errors: verdict.errors };
  }

  if (best) {
    return { ok: false, reason: `no JSON in the output matches the schema; closest (${best.label}): ${best.errors.join('; ')}` };
  }
  if (text.trim() === '') return { ok: false, reason: 'output is empty: no JSON found' };
  if (beyondWhole === 0) {
    return { ok: false, reason: `no JSON found in the output: the text is not JSON (${wholeParseError ?? 'unknown'}) and holds no fenced block or {...}/[...] span` };
  }
  return {
    ok: false,
    reason: `no JSON in the output parses: the text, ${beyondWhole} fenced block(s) or {...}/[...] span(s) all fail; first, ${firstParseError ?? 'unknown'}`,
  };
}

/** Lazily, so a whole-text answer costs no fence or span scan. */
function* candidates(text: string, options: ExtractJsonOptions): Generator<Candidate> {
  if (options.structuredOutput !== undefined && options.structuredOutput !== null) {
    yield { source: 'structured', label: 'structured_output', value: options.structuredOutput };
  }
  const whole = text.replace(/^\uFEFF/, '').trim();
  if (whole === '') return;
  yield { source: 'whole', label: 'whole text', text: whole };

  const blocks = parseMarkdown(text).codeBlocks.map((block, index) => ({ ...block, index }));
  const isJson = (lang: string): boolean => lang === 'json' || lang === 'jsonc' || lang === 'json5';
  const ordered = [...blocks.filter((b) => isJson(b.lang)), ...blocks.filter((b) => !isJson(b.lang))];
  for (const block of ordered) {
    const code = block.code.trim();
    if (code === '') continue;
    yield { source: 'fence', label: `fence ${block.index + 1} (\`\`\`${block.lang})`, text: code };
  }

  yield* embeddedSpans(text);
}

/**
 * Balanced top-level `{...}` / `[...]` spans of prose, found by bracket matching that skips
 * brackets inside JSON strings. A span that is not JSON is searched inside, since prose such
 * as "[see below] {...}" can wrap the real answer; a span that parses is not.
 */
function* embeddedSpans(text: string): Generator<Candidate> {
  let starts = 0;
  let index = nextOpener(text, 0);
  while (index !== -1 && starts < MAX_EMBEDDED_STARTS) {
    starts += 1;
    const end = matchingClose(text, index);
    if (end === -1) {
      index = nextOpener(text, index + 1);
      continue;
    }
    const span = text.slice(index, end + 1);
    const label = `text at offset ${index}`;
    const parsed = tryParse(span);
    // A span that does not parse is handed on as text, so its parse error reaches the reason.
    yield parsed.ok ? { source: 'embedded', label, value: parsed.value } : { source: 'embedded', label, text: span };
    index = nextOpener(text, parsed.ok ? end + 1 : index + 1);
  }
}

function nextOpener(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '{' || c === '[') return i;
  }
  return -1;
}

/** Index of the bracket closing the one at `start`, or -1 when brackets mismatch or run out. */
function matchingClose(text: string, start: number): number {
  const expected: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      // JSON strings hold no raw newline: this quote was prose, not JSON.
      else if (c === '\n') return -1;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') expected.push('}');
    else if (c === '[') expected.push(']');
    else if (c === '}' || c === ']') {
      if (expected.pop() !== c) return -1;
      if (expected.length === 0) return i;
    }
  }
  return -1;
}

function tryParse(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
