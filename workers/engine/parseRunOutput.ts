import type { JsonSchema, OutputFormat } from '../catalog/types.js';
import { extractJsonOutput, parseMarkdown } from '../output/index.js';

export interface ParsedRunOutput {
  readonly parsedOutput?: unknown;
  /** Why the output was not accepted; the raw text is kept beside it. */
  readonly outputError?: string;
}

/**
 * Turns a model's final answer into data by the worker's format: JSON is
 * extracted (from structured output, a fence or prose) and validated against
 * the worker's schema; Markdown is split into sections and code blocks.
 */
export function parseRunOutput(
  text: string,
  format: OutputFormat,
  schema: JsonSchema | undefined,
  structuredOutput?: unknown,
  earlierTexts: readonly string[] = [],
): ParsedRunOutput {
  if (format === 'json') {
    const extraction = extractJsonOutput(text, schema, { structuredOutput });
    if (extraction.ok) return { parsedOutput: extraction.value };
    // The final text may be the answer to Claude Code's "[structured-output-enforce]"
    // follow-up; the JSON the model meant can sit in an earlier message (latest first).
    for (const earlier of [...earlierTexts].reverse()) {
      if (earlier === text) continue;
      const retry = extractJsonOutput(earlier, schema);
      if (retry.ok) return { parsedOutput: retry.value };
    }
    return { outputError: extraction.reason };
  }
  if (format === 'markdown') {
    if (!text.trim()) return { outputError: 'the model returned an empty answer' };
    return { parsedOutput: parseMarkdown(text) };
  }
  return text.trim() ? { parsedOutput: text } : { outputError: 'the model returned an empty answer' };
}
