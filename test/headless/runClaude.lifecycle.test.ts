import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeadlessError, runClaude, type RunClaudeOptions } from '../../workers/headless/index.js';
import { isProcessAlive, listDescendants } from '../../workers/headless/processTree.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { startFakeModelServer, type FakeReply } from '../fake-model/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` is true or `ms` passed. */
const waitFor = async (check: () => boolean, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
};

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

describe('runClaude lifecycle: timeouts, cancellation, API errors, large prompts', () => {
  const t = useClaudeTestBed({ 'slow.sh': 'echo started\nsleep 300\n' });

  const options = (url: string, extra: Partial<RunClaudeOptions> = {}): RunClaudeOptions => ({
    prompt: 'Work on this repository.',
    workspaceDir: t.bed.workspace,
    sandbox: 'strict',
    model: 'haiku',
    maxTurns: 6,
    maxBudgetUsd: 1,
    timeoutMs: 30_000,
    env: t.bed.env(url),
    binaryPath: CLAUDE_BIN,
    maxRetries: 0,
    killGraceMs: 1_000,
    ...extra,
  });

  it('on timeout kills the CLI and the commands it started, keeping the output that arrived', async () => {
    // Prepare: an allow-listed command that outlives the timeout, run by Claude Code's Bash tool.
    t.server = await startFakeModelServer({
      reply: [{ kind: 'toolCall', name: 'Bash', input: { command: 'sh slow.sh' } }, { kind: 'text', text: 'never reached' }],
    });
    let claudePid = 0;
    const seen = new Set<number>();
    let sleeper = 0;
    const watcher = setInterval(() => {
      if (!claudePid) return;
      for (const pid of listDescendants(claudePid)) {
        seen.add(pid);
        if (commandLine(pid).startsWith('sleep 300')) sleeper = pid;
      }
    }, 50);

    // Act
    const started = Date.now();
    const outcome = await runClaude(
      options(t.server.url, {
        sandbox: 'permissive',
        allowedBashCommands: ['sh slow.sh'],
        bashSandbox: true,
        timeoutMs: 4_000,
        onSpawn: (pid) => {
          claudePid = pid;
        },
      }),
    );
    clearInterval(watcher);

    // Assess
    expect(outcome).toMatchObject({ timedOut: true, cancelled: false, isError: true, rateLimited: false });
    expect(outcome.errorMessage).toBe('timed out after 4000 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.toolCalls.map((c) => c.summary)).toEqual(['sh slow.sh']);
    expect(sleeper).toBeGreaterThan(0);
    expect(await waitFor(() => !isProcessAlive(claudePid) && [...seen].every((pid) => !isProcessAlive(pid)), 3_000)).toBe(
      true,
    );
  });

  it('on timeout of a model that never stops, reports timedOut with the calls made so far', async () => {
    // Prepare
    t.server = await startFakeModelServer({
      reply: [{ kind: 'toolCall', name: 'Glob', input: { pattern: '*.sh' } }, { kind: 'neverEnding', intervalMs: 100 }],
    });
    let claudePid = 0;

    // Act
    const outcome = await runClaude(options(t.server.url, { timeoutMs: 3_000, onSpawn: (pid) => (claudePid = pid) }));

    // Assess
    expect(outcome.timedOut).toBe(true);
    expect(outcome.toolCalls.map((c) => c.name)).toEqual(['Glob']);
    expect(outcome.numTurns).toBeGreaterThanOrEqual(1);
    expect(outcome.usage.input).toBeGreaterThan(0);
    expect(isProcessAlive(claudePid)).toBe(false);
  });

  it('cancels through an AbortSignal: same kill, outcome cancelled', async () => {
    // Prepare
    t.server = await startFakeModelServer({ reply: [{ kind: 'neverEnding', intervalMs: 100 }] });
    const controller = new AbortController();
    let claudePid = 0;

    // Act
    const pending = runClaude(
      options(t.server.url, {
        signal: controller.signal,
        onSpawn: (pid) => (claudePid = pid),
        onEvent: (progress) => {
          if (progress.type === 'init') setTimeout(() => controller.abort(), 300);
        },
      }),
    );
    const outcome = await pending;

    // Assess
    expect(outcome).toMatchObject({ cancelled: true, timedOut: false, isError: true, errorMessage: 'cancelled' });
    expect(outcome.durationMs).toBeLessThan(10_000);
    expect(isProcessAlive(claudePid)).toBe(false);
  });

  it('does not start at all when the signal is already aborted', async () => {
    // Prepare
    t.server = await startFakeModelServer({ reply: [{ kind: 'text', text: 'hi' }] });
    const controller = new AbortController();
    controller.abort();

    // Act
    const outcome = await runClaude(options(t.server.url, { signal: controller.signal }));

    // Assess
    expect(outcome.cancelled).toBe(true);
    expect(t.server.requests).toHaveLength(0);
  });

  it('reports 429 as rate limited, with the retry delay the CLI used', async () => {
    // Prepare
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'httpError', status: 429, retryAfterSeconds: 1 }) });

    // Act
    const outcome = await runClaude(options(t.server.url, { maxRetries: 1 }));

    // Assess
    expect(outcome).toMatchObject({ rateLimited: true, isError: true, exitCode: 1 });
    expect(outcome.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(outcome.retryAfterMs).toBeLessThan(5_000);
    expect(outcome.errorMessage).toContain('429');
    expect(t.server.mainRequests()).toHaveLength(2);
  });

  it('reports 529 overloaded and a credit-balance error as rate limited, a 500 not', async () => {
    // Prepare
    const replies: Record<string, FakeReply> = {
      overloaded: { kind: 'httpError', status: 529 },
      credit: {
        kind: 'httpError',
        status: 400,
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      },
      server: { kind: 'httpError', status: 500 },
    };
    const outcomes: Record<string, Awaited<ReturnType<typeof runClaude>>> = {};

    // Act
    for (const [name, reply] of Object.entries(replies)) {
      const errorServer = await startFakeModelServer({ reply: () => reply });
      outcomes[name] = await runClaude(options(errorServer.url));
      await errorServer.close();
    }

    // Assess
    expect(outcomes.overloaded).toMatchObject({ rateLimited: true, isError: true });
    expect(outcomes.credit).toMatchObject({ rateLimited: true, isError: true });
    expect(outcomes.server).toMatchObject({ rateLimited: false, isError: true });
    expect(outcomes.server?.errorMessage).toContain('500');
  });

  it('recovers from a stream that breaks off: the CLI repeats the turn without streaming', async () => {
    // Prepare
    t.server = await startFakeModelServer({ reply: [{ kind: 'truncatedStream' }, { kind: 'text', text: 'recovered' }] });

    // Act
    const outcome = await runClaude(options(t.server.url));

    // Assess
    expect(outcome).toMatchObject({ isError: false, resultText: 'recovered' });
    expect(t.server.mainRequests().map((r) => (r.body as { stream: boolean }).stream)).toEqual([true, false]);
  });

  it('stops at the turn and budget limits and says why', async () => {
    // Prepare
    const script: FakeReply[] = [{ kind: 'toolCall', name: 'Glob', input: { pattern: '*' } }, { kind: 'text', text: 'done' }];
    t.server = await startFakeModelServer({ reply: script });
    const budgetServer = await startFakeModelServer({ reply: script });

    // Act
    const turns = await runClaude(options(t.server.url, { maxTurns: 1 }));
    const budget = await runClaude(options(budgetServer.url, { model: 'opus', maxBudgetUsd: 0.0000001 }));
    await budgetServer.close();

    // Assess
    expect(turns).toMatchObject({ isError: true, subtype: 'error_max_turns', errorMessage: 'Reached maximum number of turns (1)' });
    expect(budget).toMatchObject({ isError: true, subtype: 'error_max_budget_usd', rateLimited: false });
    expect(budget.errorMessage).toContain('maximum budget');
  });

  it('reports a CLI that cannot start in the outcome, and rejects a missing workspace', async () => {
    // Prepare
    t.server = await startFakeModelServer({ reply: [{ kind: 'text', text: 'hi' }] });

    // Act
    const outcome = await runClaude(options(t.server.url, { binaryPath: `${t.bed.root}/no-such-claude` }));
    const missing = runClaude(options(t.server.url, { workspaceDir: `${t.bed.root}/no-such-dir` }));

    // Assess
    expect(outcome).toMatchObject({ isError: true, exitCode: null, errorMessage: 'failed to start Claude Code: ENOENT' });
    await expect(missing).rejects.toBeInstanceOf(HeadlessError);
  });

  it('sends the prompt through stdin: a 300 KB prompt arrives whole and is not in argv', async () => {
    // Prepare: one argv element may not exceed 128 KiB on Linux, so this only works through stdin.
    const prompt = `Summarise.\n${'x'.repeat(300 * 1024)}\nEND-OF-PROMPT-9876`;
    t.server = await startFakeModelServer({ reply: [{ kind: 'text', text: 'ok' }] });
    let argv = '';

    // Act
    const outcome = await runClaude(
      options(t.server.url, {
        prompt,
        onSpawn: (pid) => {
          argv = commandLine(pid);
        },
      }),
    );

    // Assess
    expect(outcome.isError).toBe(false);
    const body = t.server.mainRequests()[0]?.rawBody ?? '';
    expect(body).toContain('END-OF-PROMPT-9876');
    expect(body).toContain('x'.repeat(300 * 1024));
    expect(argv).toContain('--output-format');
    expect(argv).not.toContain('END-OF-PROMPT-9876');
  });
});
