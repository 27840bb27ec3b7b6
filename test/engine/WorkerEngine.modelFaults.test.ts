import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { RunResult } from '../../workers/run/types.js';
import { openLocalState } from '../../workers/store/index.js';
import type { ResultStore } from '../../workers/store/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { SCENARIOS, startFakeModelServer, type FakeReply } from '../fake-model/index.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';

/** Retries the CLI may make: enough to see it retry, few enough to keep its backoff short. */
const MAX_RETRIES = 2;
/** The audit worker's timeout when a stalled stream must end the run by it. */
const STALL_TIMEOUT_MS = 10_000;
/** The timeout of every other case: far beyond the CLI's retries, so a busy machine never turns FAILED into TIMED_OUT. */
const GENEROUS_TIMEOUT_MS = 45_000;

/** Pids of processes whose working directory lies in `dir`: what a run left behind. */
const processesIn = (dir: string): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);

/** Every reply of a named scenario, repeated for as many requests as come. */
const always = (scenario: string): ((request: unknown, context: { turn: number }) => FakeReply) => {
  const replies = SCENARIOS[scenario]?.replies ?? [];
  return (_request, { turn }) => replies[Math.min(turn, replies.length - 1)]!;
};

describe('WorkerEngine under model API faults (real Claude Code, fake model API)', () => {
  const t = useClaudeTestBed(VULNERABLE_APP);

  async function runAudit(reply: (request: unknown, context: { turn: number }) => FakeReply, timeoutMs = GENEROUS_TIMEOUT_MS): Promise<{ result: RunResult; engine: WorkerEngine; store: ResultStore }> {
    t.server = await startFakeModelServer({ reply });
    const state = await openLocalState(t.bed.workspace, path.join(t.bed.root, 'state'));
    const engine = new WorkerEngine({
      config: parseConfig({ workers: { audit: { timeoutMs } } }),
      store: state.store,
      stateDir: state.stateDir,
      // CLAUDE_CODE_MAX_RETRIES reaches the CLI through the engine's environment, as a deployer would set it.
      env: { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN, CLAUDE_CODE_MAX_RETRIES: String(MAX_RETRIES) },
    });
    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });
    return { result, engine, store: state.store };
  }

  /** What every fault must leave: the record stored as returned, a readable reason, nothing running. */
  async function expectCleanEnding(result: RunResult, store: ResultStore): Promise<void> {
    expect(await store.get(result.runId)).toEqual(result);
    expect(result.mode).toBe('headless');
    expect(result.error).not.toMatch(/\n\s+at |TypeError|undefined/);
    expect(processesIn(t.bed.workspace)).toEqual([]);
  }

  it('HTTP 500 on every request: FAILED after the CLI retries, says the API returned 500, no pause', async () => {
    const { result, engine, store } = await runAudit(always('server-error'));

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(new RegExp(`^model API returned 500 api_error after ${MAX_RETRIES + 1} attempts: `));
    expect(t.server!.mainRequests()).toHaveLength(MAX_RETRIES + 1);
    expect(await engine.pause.currentPause()).toBeNull();
    await expectCleanEnding(result, store);
  });

  it('529 overloaded: FAILED saying so, and headless runs pause by backoff; the next run falls back to local', async () => {
    const { result, engine, store } = await runAudit(always('overloaded'));

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(new RegExp(`^model API returned 529 overloaded_error after ${MAX_RETRIES + 1} attempts`));
    const pause = await engine.pause.currentPause();
    // The CLI's sub-second retry delay is not a retry-after: the pause takes its own first backoff step.
    expect(pause?.reason).toMatch(/backoff 60 s after 1 in a row/);
    await expectCleanEnding(result, store);

    const next = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });
    expect(next).toMatchObject({ mode: 'local', status: 'SUCCEEDED' });
    expect(next.fallbackReason).toMatch(/headless runs are paused until .*overload/);
    expect(t.server!.mainRequests()).toHaveLength(MAX_RETRIES + 1);
  });

  it('429 with retry-after: the CLI waits it out between attempts, then FAILED; the pause lasts the retry-after', async () => {
    const retryAfterSeconds = 2;
    const { result, engine, store } = await runAudit(() => ({ kind: 'httpError', status: 429, retryAfterSeconds }));

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(new RegExp(`^model API returned 429 rate_limit_error after ${MAX_RETRIES + 1} attempts`));
    const [first, ...retries] = t.server!.mainRequests();
    for (const retry of retries) expect(retry.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(retryAfterSeconds * 1_000 - 50);
    const pause = await engine.pause.currentPause();
    expect(pause?.reason).toMatch(/retry-after 2 s/);
    await expectCleanEnding(result, store);
  });

  it('429 with a retry-after longer than the CLI waits: FAILED at once, paused by backoff', async () => {
    const { result, engine, store } = await runAudit(() => ({ kind: 'httpError', status: 429, retryAfterSeconds: 600 }));

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(/^model API returned 429 rate_limit_error after 1 attempt: /);
    // The CLI does not report the API's retry-after when it gives up at once: the pause's backoff stands in.
    expect((await engine.pause.currentPause())?.reason).toMatch(/backoff 60 s/);
    await expectCleanEnding(result, store);
  });

  it('a stream that breaks off midway (and its non-streaming repeat too): FAILED, connection lost, no pause', async () => {
    const { result, engine, store } = await runAudit(always('stream-breaks-off'));

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(/^model API failed after \d+ attempts?: Connection to the API was lost/);
    const streamed = t.server!.mainRequests().map((r) => (r.body as { stream?: boolean }).stream === true);
    expect(streamed).toContain(true);
    expect(streamed).toContain(false);
    expect(await engine.pause.currentPause()).toBeNull();
    await expectCleanEnding(result, store);
  });

  it('a stream that stalls with the connection open: TIMED_OUT by the worker timeout, process group gone', async () => {
    const { result, engine, store } = await runAudit(always('stream-stalls'), STALL_TIMEOUT_MS);

    expect(result.status).toBe('TIMED_OUT');
    expect(result.error).toBe(`timed out after ${STALL_TIMEOUT_MS} ms waiting for the model API's first answer; the whole process group was stopped`);
    expect(await engine.pause.currentPause()).toBeNull();
    await expectCleanEnding(result, store);
  });
});
