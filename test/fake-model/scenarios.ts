import type { FakeReply } from './types.js';

/** An audit answer that satisfies a typical findings schema and names real lines of `VULNERABLE_APP` (model findings on missing files or lines are rejected). */
export const SAMPLE_AUDIT = {
  summary: 'One hard-coded credential and one SQL injection found.',
  findings: [
    {
      ruleId: 'hardcoded-secret',
      severity: 'high',
      file: 'src/config.ts',
      line: 2,
      message: 'A credential is assigned as a string literal.',
    },
    {
      ruleId: 'sql-injection',
      severity: 'medium',
      file: 'src/db.ts',
      line: 4,
      message: "The query concatenates the caller's name.",
    },
  ],
};

/** Named reply scripts for demos (`serve.ts --scenario <name>`) and tests. */
export const SCENARIOS: Readonly<Record<string, { readonly description: string; readonly replies: readonly FakeReply[] }>> = {
  'plain-text': {
    description: 'answers with a short plain text',
    replies: [{ kind: 'text', text: 'The repository looks healthy. No action needed.' }],
  },
  'audit-json': {
    description: 'answers with a valid audit JSON inside a ```json fence',
    replies: [{ kind: 'json', value: SAMPLE_AUDIT, fenced: true }],
  },
  'audit-structured': {
    description: 'answers through the StructuredOutput tool (runs with --json-schema)',
    replies: [{ kind: 'structuredOutput', value: SAMPLE_AUDIT }],
  },
  'reads-then-answers': {
    description: 'reads package.json with the Read tool, then answers with a fenced audit JSON',
    replies: [
      { kind: 'toolCall', name: 'Read', input: { file_path: 'package.json' }, text: 'Let me look at the manifest.' },
      { kind: 'json', value: SAMPLE_AUDIT, fenced: true },
    ],
  },
  'calls-bash': {
    description: 'tries to run `touch pwned-by-model` with Bash (refused by the strict profile), then answers with a fenced audit JSON',
    replies: [
      { kind: 'toolCall', name: 'Bash', input: { command: 'touch pwned-by-model' } },
      { kind: 'json', value: SAMPLE_AUDIT, fenced: true },
    ],
  },
  'writes-file': {
    description: 'writes NOTES.md with the Write tool, then answers in markdown',
    replies: [
      { kind: 'toolCall', name: 'Write', input: { file_path: 'NOTES.md', content: '# Notes\n\nWritten by the fake model.\n' } },
      { kind: 'text', text: '## Summary\n\nI wrote NOTES.md.' },
    ],
  },
  'never-ends': {
    description: 'streams forever (to try timeouts and cancellation)',
    replies: [{ kind: 'neverEnding', intervalMs: 250 }],
  },
  'rate-limited': {
    description: 'answers every turn with 429 and retry-after: 5',
    replies: Array.from({ length: 50 }, (): FakeReply => ({ kind: 'httpError', status: 429, retryAfterSeconds: 5 })),
  },
  'server-error': {
    description: 'answers every turn with 500 api_error',
    replies: Array.from({ length: 50 }, (): FakeReply => ({ kind: 'httpError', status: 500 })),
  },
  'stream-breaks-off': {
    description: 'drops the connection midway through every answer (streamed or not)',
    replies: Array.from({ length: 50 }, (): FakeReply => ({ kind: 'truncatedStream' })),
  },
  'stream-stalls': {
    description: 'starts every answer, then goes silent with the connection open',
    replies: Array.from({ length: 50 }, (): FakeReply => ({ kind: 'stalledStream' })),
  },
  overloaded: {
    description: 'answers every turn with 529 overloaded',
    replies: Array.from({ length: 50 }, (): FakeReply => ({ kind: 'httpError', status: 529 })),
  },
};
