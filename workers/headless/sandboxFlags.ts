import type { JsonSchema, SandboxMode } from '../catalog/types.js';
import { bashAllowListProblems } from './bashAllowList.js';
import { BASH_SANDBOX_SETTINGS } from './bashSandbox.js';
import { ClaudeArgsError } from './errors.js';

/**
 * Built-in tools of Claude Code 2.1.332 (from its `init` event and the tools it sends
 * to the API), plus older names (MultiEdit, Task, PowerShell) so that calls to them are
 * classified too. A profile removes every tool it does not offer.
 */
export const KNOWN_CLAUDE_TOOLS = [
  'Agent',
  'Task',
  'Bash',
  'PowerShell',
  'Read',
  'Grep',
  'Glob',
  'Edit',
  'MultiEdit',
  'Write',
  'NotebookEdit',
  'WebFetch',
  'WebSearch',
  'Skill',
  'Workflow',
  'ToolSearch',
  'Monitor',
  'ListAgents',
  'SendMessage',
  'TaskStop',
  'ReportFindings',
  'ScheduleWakeup',
  'CronCreate',
  'CronDelete',
  'CronList',
  'EnterWorktree',
  'ExitWorktree',
] as const;

/** The profiles as plain data, for the README, the CLI's `explain` output and tests. */
export const PROFILE_TOOLS = {
  strict: {
    permissionMode: 'dontAsk',
    tools: ['Read', 'Grep', 'Glob'],
    allowRules: [],
    bash: 'never',
    reads: 'workspace only',
    writes: 'none',
    web: false,
  },
  permissive: {
    permissionMode: 'dontAsk',
    tools: ['Read', 'Grep', 'Glob', 'Edit', 'Write', 'MultiEdit'],
    allowRules: ['Edit(./**)', 'Write(./**)'],
    bash: "allow-listed commands only, and only inside Claude Code's sandbox (bubblewrap) when the operator asked for it and it works here",
    reads: 'workspace only',
    writes: 'workspace only',
    web: false,
  },
  disabled: {
    permissionMode: 'bypassPermissions',
    tools: 'default',
    allowRules: [],
    bash: 'any',
    reads: 'any',
    writes: 'any',
    web: true,
  },
} as const satisfies Record<
  SandboxMode,
  {
    permissionMode: string;
    tools: readonly string[] | 'default';
    allowRules: readonly string[];
    bash: string;
    reads: string;
    writes: string;
    web: boolean;
  }
>;

const offeredTools = (sandbox: SandboxMode, bashAllowed: boolean): readonly string[] | 'default' => {
  const tools = PROFILE_TOOLS[sandbox].tools;
  if (tools === 'default') return tools;
  return sandbox === 'permissive' && bashAllowed ? [...tools, 'Bash'] : tools;
};

/**
 * Tools a profile takes away from the model: a call to one of them comes back as a
 * tool error ("No such tool available") and counts as a `tool_unavailable` violation.
 *
 * @example
 * removedTools('strict').includes('Bash'); // true
 * removedTools('permissive', ['npm test']).includes('Bash'); // false
 */
export const removedTools = (sandbox: SandboxMode, allowedBashCommands: readonly string[] = []): readonly string[] => {
  const offered = offeredTools(sandbox, allowedBashCommands.length > 0);
  if (offered === 'default') return [];
  return KNOWN_CLAUDE_TOOLS.filter((tool) => !offered.includes(tool));
};

/** Tools each profile removes when no Bash command is allow-listed. */
export const REMOVED_TOOLS: Readonly<Record<SandboxMode, readonly string[]>> = {
  strict: removedTools('strict'),
  permissive: removedTools('permissive'),
  disabled: removedTools('disabled'),
};

export interface ClaudeArgsOptions {
  readonly sandbox: SandboxMode;
  /** Full model id (see `resolveModelId`). */
  readonly modelId: string;
  readonly maxTurns: number;
  readonly maxBudgetUsd: number;
  /** Adds `--json-schema`: the CLI then offers a StructuredOutput tool. */
  readonly jsonSchema?: JsonSchema;
  /**
   * Exact commands the permissive profile may run, e.g. `['npm test', 'git diff']`
   * (`Bash(npm test)` rules; Claude Code refuses compound commands such as
   * `npm test; touch x`). Ignored by the other profiles. Mind that a command like
   * `npm test` runs code the repository defines. Entries are checked with
   * `bashAllowListProblems` (no shells, interpreters or runners with wildcards).
   */
  readonly allowedBashCommands?: readonly string[];
  /**
   * True only when Claude Code's sandbox was requested and proven to work (see
   * `decideBashOffer`): Bash is then offered for the allow-listed commands and runs
   * inside the sandbox (`--settings` with `BASH_SANDBOX_SETTINGS`). Without it the
   * permissive profile offers no Bash at all.
   */
  readonly bashSandboxed?: boolean;
  readonly fallbackModelId?: string;
}

const validateBashCommands = (commands: readonly string[]): string[] => {
  const problems = bashAllowListProblems(commands);
  if (problems.length > 0) throw new ClaudeArgsError(problems.join('; '));
  return commands.map((command) => command.trim());
};

/**
 * Arguments for `claude -p` (the prompt goes to stdin, never into argv) that enforce a
 * sandbox profile. Every profile ignores the repository's own configuration:
 * `--setting-sources ''` (no hooks, apiKeyHelper, permission modes, CLAUDE.md, skills
 * or agents from the audited repository) and `--strict-mcp-config` (no `.mcp.json`).
 *
 * - strict: `--tools Read,Grep,Glob`, everything else also in `--disallowedTools`,
 *   `--permission-mode dontAsk` (anything not pre-approved is refused, never asked):
 *   reads inside the working directory only, no Bash, no edits, no web.
 * - permissive: `dontAsk` as well, with `Edit(./**)` and `Write(./**)` rules (writes in
 *   the working directory only; symlinks and `..` out of it are refused) and one
 *   `Bash(<cmd>)` rule per allow-listed command. Measured with 2.1.332:
 *   `--permission-mode acceptEdits` would also auto-approve file-system commands such as
 *   `touch x` or `git diff; touch x` in the working directory, outside the allow-list.
 * - disabled: `--permission-mode bypassPermissions`, the CLI's default tools. Only for a
 *   deployer who opted in and contains the task by role, network and filesystem; never
 *   a default. The CLI refuses it when running as root.
 *
 * @example
 * buildClaudeArgs({ sandbox: 'strict', modelId: 'claude-haiku-5-5', maxTurns: 8, maxBudgetUsd: 0.5 });
 */
export const buildClaudeArgs = (options: ClaudeArgsOptions): string[] => {
  const { sandbox, modelId, maxTurns, maxBudgetUsd } = options;
  if (!modelId.trim()) throw new ClaudeArgsError('modelId must not be empty');
  if (!Number.isInteger(maxTurns) || maxTurns < 1) throw new ClaudeArgsError(`maxTurns must be a positive integer, got ${maxTurns}`);
  if (!Number.isFinite(maxBudgetUsd) || maxBudgetUsd <= 0) {
    throw new ClaudeArgsError(`maxBudgetUsd must be a positive number, got ${maxBudgetUsd}`);
  }

  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--setting-sources',
    '',
    '--strict-mcp-config',
    '--no-session-persistence',
    '--model',
    modelId.trim(),
    '--max-turns',
    String(maxTurns),
    '--max-budget-usd',
    String(maxBudgetUsd),
  ];
  if (options.fallbackModelId?.trim()) args.push('--fallback-model', options.fallbackModelId.trim());

  const profile = PROFILE_TOOLS[sandbox];
  if (sandbox === 'disabled') {
    args.push('--permission-mode', 'bypassPermissions');
  } else {
    const listed = sandbox === 'permissive' ? validateBashCommands(options.allowedBashCommands ?? []) : [];
    const bashCommands = options.bashSandboxed === true ? listed : [];
    const offered = offeredTools(sandbox, bashCommands.length > 0);
    args.push('--tools', (offered as readonly string[]).join(','));
    const allowRules = [...profile.allowRules, ...bashCommands.map((command) => `Bash(${command})`)];
    if (allowRules.length > 0) args.push('--allowedTools', ...allowRules);
    args.push('--disallowedTools', removedTools(sandbox, bashCommands).join(','));
    args.push('--permission-mode', profile.permissionMode, '--permission-prompts', 'none');
    if (bashCommands.length > 0) args.push('--settings', JSON.stringify(BASH_SANDBOX_SETTINGS));
  }
  if (options.jsonSchema) args.push('--json-schema', JSON.stringify(options.jsonSchema));
  return args;
};
