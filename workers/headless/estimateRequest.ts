import type { JsonSchema, SandboxMode } from '../catalog/types.js';

/**
 * Characters Claude Code 2.1.332 adds around the prompt in its first request
 * (system prompt, tool definitions, environment block), measured against the
 * fake model API with each profile's flags; the test `estimateRequest.test.ts`
 * measures again, so a CLI upgrade that changes it fails loudly. The disabled
 * profile cannot be measured as root: it uses the permissive figure.
 */
export const CLI_REQUEST_OVERHEAD_CHARS: Readonly<Record<SandboxMode, number>> = {
  strict: 17_540,
  permissive: 19_145,
  disabled: 19_145,
};

/** `--json-schema` adds a StructuredOutput tool: its wrapper plus the schema itself. */
export const SCHEMA_TOOL_OVERHEAD_CHARS = 240;

/** About four characters a token for code and English prose. */
export const CHARS_PER_TOKEN = 4;

/**
 * Estimated input tokens of the first request of a run: the prompt as it is
 * sent (JSON-escaped) plus what the CLI adds for the profile and schema.
 */
export function estimateInputTokens(prompt: string, sandbox: SandboxMode, jsonSchema?: JsonSchema): number {
  const schemaChars = jsonSchema ? SCHEMA_TOOL_OVERHEAD_CHARS + JSON.stringify(jsonSchema).length : 0;
  return Math.ceil((JSON.stringify(prompt).length + CLI_REQUEST_OVERHEAD_CHARS[sandbox] + schemaChars) / CHARS_PER_TOKEN);
}
