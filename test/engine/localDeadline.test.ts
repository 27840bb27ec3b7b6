import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';

describe('a local analysis has a deadline', () => {
  let root: string;
  let repo: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hw-deadline-'));
    repo = path.join(root, 'repo');
    // Enough files that no walk finishes within a millisecond.
    for (let dir = 0; dir < 40; dir++) {
      await mkdir(path.join(repo, `d${dir}`), { recursive: true });
      for (let file = 0; file < 50; file++) await writeFile(path.join(repo, `d${dir}`, `f${file}.ts`), `export const v${file} = ${file};\n`);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function engineWith(localTimeoutMs: number): Promise<WorkerEngine> {
    const state = await openLocalState(repo, path.join(root, `state-${localTimeoutMs}`));
    return new WorkerEngine({ config: parseConfig({}), store: state.store, stateDir: state.stateDir, findingStore: state.findingStore, env: { ...NO_CLAUDE_ENV }, localTimeoutMs });
  }

  it('a run past its deadline ends as TIMED_OUT and says why; within it, the same run succeeds', async () => {
    // act
    const late = await (await engineWith(1)).run({ worker: 'map', repoDir: repo });
    const onTime = await (await engineWith(120_000)).run({ worker: 'map', repoDir: repo });

    // assess
    expect(late).toMatchObject({ status: 'TIMED_OUT', success: false, mode: 'local' });
    expect(late.error).toBe('the local map analysis did not finish within 1 ms and was stopped');
    expect(onTime.status).toBe('SUCCEEDED');
  });
});
