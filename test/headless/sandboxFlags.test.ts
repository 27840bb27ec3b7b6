import { describe, expect, it } from 'vitest';
import {
  buildClaudeArgs,
  ClaudeArgsError,
  KNOWN_CLAUDE_TOOLS,
  PROFILE_TOOLS,
  REMOVED_TOOLS,
  removedTools,
} from '../../workers/headless/index.js';

const base = { modelId: 'claude-haiku-5-5', maxTurns: 8, maxBudgetUsd: 0.5 } as const;

/** The value following a flag. */
const valueOf = (args: readonly string[], flag: string): string | undefined => {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
};

/** The values of a variadic flag, up to the next flag. */
const valuesOf = (args: readonly string[], flag: string): string[] => {
  const index = args.indexOf(flag);
  if (index === -1) return [];
  const rest = args.slice(index + 1);
  const end = rest.findIndex((arg) => arg.startsWith('--'));
  return end === -1 ? rest : rest.slice(0, end);
};

describe('buildClaudeArgs', () => {
  it('always isolates the run from the repository configuration and bounds it', () => {
    for (const sandbox of ['strict', 'permissive', 'disabled'] as const) {
      // Prepare / act
      const args = buildClaudeArgs({ ...base, sandbox });

      // Assess
      expect(args[0]).toBe('-p');
      expect(valueOf(args, '--output-format')).toBe('stream-json');
      expect(args).toContain('--verbose');
      expect(valueOf(args, '--setting-sources')).toBe('');
      expect(args).toContain('--strict-mcp-config');
      expect(args).toContain('--no-session-persistence');
      expect(valueOf(args, '--model')).toBe('claude-haiku-5-5');
      expect(valueOf(args, '--max-turns')).toBe('8');
      expect(valueOf(args, '--max-budget-usd')).toBe('0.5');
      expect(args).not.toContain('--json-schema');
    }
  });

  it('strict: read-only tools, everything else removed, refuse instead of ask', () => {
    // Prepare / act
    const args = buildClaudeArgs({ ...base, sandbox: 'strict', allowedBashCommands: ['npm test'] });

    // Assess
    expect(valueOf(args, '--tools')).toBe('Read,Grep,Glob');
    expect(args).not.toContain('--allowedTools');
    const disallowed = valueOf(args, '--disallowedTools')?.split(',') ?? [];
    expect(disallowed).toEqual(expect.arrayContaining(['Bash', 'Edit', 'Write', 'MultiEdit', 'WebFetch', 'WebSearch', 'Agent']));
    expect(disallowed).not.toEqual(expect.arrayContaining(['Read']));
    expect(valueOf(args, '--permission-mode')).toBe('dontAsk');
    expect(valueOf(args, '--permission-prompts')).toBe('none');
  });

  it('permissive: edit tools with workspace rules, Bash only for allow-listed commands inside the sandbox, no web', () => {
    // Prepare / act
    const withBash = buildClaudeArgs({ ...base, sandbox: 'permissive', allowedBashCommands: ['npm test', ' git diff '], bashSandboxed: true });
    const withoutBash = buildClaudeArgs({ ...base, sandbox: 'permissive' });
    const listedButUnsandboxed = buildClaudeArgs({ ...base, sandbox: 'permissive', allowedBashCommands: ['npm test'] });

    // Assess
    expect(valueOf(withBash, '--tools')).toBe('Read,Grep,Glob,Edit,Write,MultiEdit,Bash');
    expect(valuesOf(withBash, '--allowedTools')).toEqual(['Edit(./**)', 'Write(./**)', 'Bash(npm test)', 'Bash(git diff)']);
    expect(valueOf(withBash, '--disallowedTools')?.split(',')).not.toContain('Bash');
    expect(valueOf(withBash, '--disallowedTools')?.split(',')).toEqual(expect.arrayContaining(['WebFetch', 'WebSearch']));
    expect(valueOf(withBash, '--permission-mode')).toBe('dontAsk');
    expect(JSON.parse(valueOf(withBash, '--settings') ?? '{}')).toEqual({
      sandbox: { enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false, autoAllowBashIfSandboxed: false, excludedCommands: [] },
    });
    for (const args of [withoutBash, listedButUnsandboxed]) {
      expect(valueOf(args, '--tools')).toBe('Read,Grep,Glob,Edit,Write,MultiEdit');
      expect(valueOf(args, '--disallowedTools')?.split(',')).toContain('Bash');
      expect(valuesOf(args, '--allowedTools')).toEqual(['Edit(./**)', 'Write(./**)']);
      expect(args).not.toContain('--settings');
    }
  });

  it('disabled: bypassPermissions with the default tools, never more than asked', () => {
    // Prepare / act
    const args = buildClaudeArgs({ ...base, sandbox: 'disabled' });

    // Assess
    expect(valueOf(args, '--permission-mode')).toBe('bypassPermissions');
    expect(args).not.toContain('--tools');
    expect(args).not.toContain('--dangerously-skip-permissions');
  });

  it('adds --json-schema and --fallback-model when given', () => {
    // Prepare
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };

    // Act
    const args = buildClaudeArgs({ ...base, sandbox: 'strict', jsonSchema: schema, fallbackModelId: 'claude-sonnet-5-5' });

    // Assess
    expect(JSON.parse(valueOf(args, '--json-schema') ?? '')).toEqual(schema);
    expect(valueOf(args, '--fallback-model')).toBe('claude-sonnet-5-5');
  });

  it('rejects invalid limits and allow-list entries that would widen or break a rule', () => {
    // Act / assess
    expect(() => buildClaudeArgs({ ...base, sandbox: 'strict', maxTurns: 0 })).toThrow(ClaudeArgsError);
    expect(() => buildClaudeArgs({ ...base, sandbox: 'strict', maxBudgetUsd: Number.NaN })).toThrow(ClaudeArgsError);
    expect(() => buildClaudeArgs({ ...base, sandbox: 'strict', modelId: ' ' })).toThrow(ClaudeArgsError);
    for (const bad of ['*', ' ', 'npm test) Bash(rm', 'echo a,b', 'ls\nrm -rf /', 'sh:*', 'node *']) {
      expect(() => buildClaudeArgs({ ...base, sandbox: 'permissive', allowedBashCommands: [bad] })).toThrow(ClaudeArgsError);
    }
  });
});

describe('removed tools and profile data', () => {
  it('lists every known tool a profile does not offer', () => {
    // Act / assess
    expect(REMOVED_TOOLS.strict).toEqual(KNOWN_CLAUDE_TOOLS.filter((t) => !['Read', 'Grep', 'Glob'].includes(t)));
    expect(REMOVED_TOOLS.permissive).toContain('Bash');
    expect(removedTools('permissive', ['npm test'])).not.toContain('Bash');
    expect(REMOVED_TOOLS.disabled).toEqual([]);
  });

  it('describes each profile in plain data', () => {
    // Act / assess
    expect(PROFILE_TOOLS.strict).toMatchObject({ tools: ['Read', 'Grep', 'Glob'], writes: 'none', web: false });
    expect(PROFILE_TOOLS.permissive).toMatchObject({ writes: 'workspace only', web: false });
    expect(PROFILE_TOOLS.disabled).toMatchObject({ permissionMode: 'bypassPermissions', tools: 'default' });
    expect(JSON.parse(JSON.stringify(PROFILE_TOOLS))).toEqual(PROFILE_TOOLS);
  });
});
