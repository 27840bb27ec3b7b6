import { redactSecrets } from '../secrets/index.js';

/** Longest summary kept for a tool call or violation. */
export const SUMMARY_MAX_CHARS = 120;

/**
 * Shapes of secrets that may appear in a command line or URL: key=value pairs with a
 * secret-sounding key, bearer/basic credentials, credentials in URLs, and well-known
 * token prefixes (Anthropic, OpenAI, GitHub, Slack, AWS access keys).
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b((?:[A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key|apikey|auth|credential)[A-Za-z0-9_-]*)\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1[REDACTED]'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[REDACTED]@'],
  [/\b(?:sk-[A-Za-z0-9_-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16})\b/g, '[REDACTED]'],
];

/** Long runs of mixed-case letters and digits look like keys; hex (commit ids) and paths do not match. */
const HIGH_ENTROPY = /[A-Za-z0-9+_=-]{32,}/g;
const looksRandom = (run: string): boolean => /[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run);

/**
 * Replaces likely secrets in a command line or URL: the project's secret rules
 * first, then the broader command-line shapes above (a violation detail is
 * logged and alarmed on, so it errs on the side of hiding).
 */
export const redactCommandLine = (text: string): string =>
  SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), redactSecrets(text, '').text).replace(
    HIGH_ENTROPY,
    (run) => (looksRandom(run) ? '[REDACTED]' : run),
  );

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The one field of a tool's input that says what the call does. */
const essence = (tool: string, input: Record<string, unknown>): string => {
  switch (tool) {
    case 'Bash':
    case 'PowerShell':
      return str(input.command) ?? '';
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return str(input.file_path) ?? str(input.path) ?? '';
    case 'NotebookEdit':
      return str(input.notebook_path) ?? '';
    case 'Grep':
    case 'Glob': {
      const pattern = str(input.pattern) ?? '';
      const path = str(input.path);
      return path ? `${pattern} in ${path}` : pattern;
    }
    case 'WebFetch':
      return str(input.url) ?? '';
    case 'WebSearch':
      return str(input.query) ?? '';
    case 'Agent':
    case 'Task':
      return str(input.description) ?? str(input.subagent_type) ?? '';
    default: {
      const first = Object.entries(input).find(([, value]) => typeof value === 'string');
      return first ? `${first[0]}=${String(first[1])}` : Object.keys(input).join(',');
    }
  }
};

/**
 * A short, secret-free one-line summary of a tool call: what a person needs to see
 * in a violation report, never the content being written.
 *
 * @example
 * summarizeToolInput('Bash', { command: 'touch marker' }); // 'touch marker'
 * summarizeToolInput('Write', { file_path: '/w/a.txt', content: '...' }); // '/w/a.txt'
 */
export const summarizeToolInput = (tool: string, input: unknown): string => {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const oneLine = essence(tool, record).replace(/\s+/g, ' ').trim();
  return truncate(redactCommandLine(oneLine), SUMMARY_MAX_CHARS);
};

/**
 * The `detail` of a sandbox violation: tool name and what it tried.
 *
 * @example
 * violationDetail('Bash', { command: 'touch marker' }); // 'Bash: touch marker'
 */
export const violationDetail = (tool: string, input: unknown): string => {
  const summary = summarizeToolInput(tool, input);
  return summary ? `${tool}: ${summary}` : tool;
};
