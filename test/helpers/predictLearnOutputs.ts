/*
 * Outputs of predict and ultralearn as a model writes them, twice: the second
 * time reworded (other area names, reasons, likelihoods, descriptions,
 * examples, order) as a model does from one run to the next. Shared by the
 * unit tests of the mapping and the end-to-end tests through Claude Code.
 */

/** The repository both outputs talk about. */
export const PREDICT_REPO: Record<string, string> = {
  'src/payments/retry.ts': ['export async function withRetry<T>(call: () => Promise<T>, attempts = 3): Promise<T> {', '  // TODO: jitter', '  return call();', '}', ''].join('\n'),
  'src/payments/client.ts': ["import { withRetry } from './retry';", 'export const charge = (amount: number) => withRetry(async () => amount);', ''].join('\n'),
  'src/auth/session.ts': ['export function isExpired(expiresAt: number): boolean {', '  // FIXME: clock skew', '  return Date.now() > expiresAt;', '}', ''].join('\n'),
  'src/reports/export.ts': ['export function toCsv(rows: string[][]): string {', "  return rows.map((r) => r.join(',')).join('\\n');", '}', ''].join('\n'),
};

export const PREDICT_FIRST = {
  summary: 'Payment retries and session expiry are where the next incidents are likely to start.',
  predictions: [
    {
      area: 'Payment retry logic',
      likelihood: 'high',
      reason: 'retry.ts changed in 14 of the last 30 commits, has a TODO about jitter and no tests',
      files: ['src/payments/retry.ts', 'src/payments/client.ts'],
      suggestedAction: 'Add tests for the backoff paths before the next change',
    },
    {
      area: 'Session handling',
      likelihood: 'medium',
      reason: 'A FIXME about clock skew sits next to the expiry check',
      files: ['./src/auth/session.ts'],
      suggestedAction: 'Allow a skew margin and test it',
    },
    { area: 'Build tooling', likelihood: 'low', reason: 'Scripts are copied between folders', files: [] },
  ],
};

/** The next run: reworded and reordered, session.ts no longer predicted, export.ts newly predicted. */
export const PREDICT_SECOND = {
  summary: 'The payments module keeps churning; CSV export has grown without tests.',
  predictions: [
    {
      area: 'CSV export',
      likelihood: 'medium',
      reason: 'toCsv does no quoting and is called from three new places',
      files: ['src/reports/export.ts'],
    },
    {
      area: 'Retries in the payments module',
      likelihood: 'medium',
      reason: 'High churn in the retry helper and its only caller; backoff untested',
      files: ['src/payments/client.ts', 'src/payments/retry.ts'],
      suggestedAction: 'Cover retry exhaustion with a unit test',
    },
  ],
};

export const LEARN_FIRST = {
  summary: 'A small TypeScript service with explicit errors and structured logs.',
  conventions: [
    { name: 'Error handling', description: 'Functions return Result objects instead of throwing', examples: ['src/payments/client.ts: charge() returns a Result'] },
    { name: 'File naming', description: 'camelCase file names, one export per file', examples: ['src/auth/session.ts'] },
    { name: 'Logging', description: 'Structured JSON logs through one logger', examples: ['logger.info({ event })'] },
  ],
  glossary: [
    { term: 'Tenant', meaning: 'A customer organisation with its own data' },
    { term: 'Charge', meaning: 'One attempt to take a payment' },
  ],
  architecture: 'Three modules: payments, auth, reports.',
};

/** The next learning run: the same conventions and terms in other words, logging no longer observed. */
export const LEARN_SECOND = {
  summary: 'TypeScript service; errors are values.',
  conventions: [
    { name: 'Naming of files', description: 'Files are named in camelCase and export one thing', examples: ['src/reports/export.ts'] },
    { name: 'Error-handling style', description: 'Errors are returned as values (Result), never thrown across modules', examples: ['withRetry() wraps failures'] },
  ],
  glossary: [
    { term: 'charge', meaning: 'A single payment attempt against a card' },
    { term: 'tenants', meaning: 'Customer organisations; every row belongs to one' },
  ],
  architecture: 'payments, auth and reports, each a folder under src/.',
};
