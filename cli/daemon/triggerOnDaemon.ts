import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeJsonAtomic } from '../../workers/files/index.js';
import { daemonPaths } from './daemonPaths.js';
import { readDaemonLiveness } from './pidFile.js';
import type { TriggerAnswer, TriggerMessage } from './triggerMessages.js';

/**
 * Queues a run on the running daemon through its inbox. Returns null when no
 * daemon runs (the caller then runs in the foreground); with `wait`, resolves
 * once the daemon stored the run and answered with its id.
 */
export async function triggerOnDaemon(
  stateDir: string,
  message: Omit<TriggerMessage, 'id'>,
  options: { wait: boolean; timeoutMs?: number },
): Promise<{ pid: number; answer?: TriggerAnswer } | null> {
  const paths = daemonPaths(stateDir);
  const liveness = await readDaemonLiveness(paths.pidFile);
  if (!liveness.running) return null;
  const id = randomUUID();
  await writeJsonAtomic(path.join(paths.inboxDir, `${id}.json`), { id, ...message });
  if (!options.wait) return { pid: liveness.record.pid };
  const answerFile = path.join(paths.outboxDir, `${id}.json`);
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  while (Date.now() < deadline) {
    const text = await readFile(answerFile, 'utf8').catch(() => null);
    if (text) {
      await rm(answerFile, { force: true });
      return { pid: liveness.record.pid, answer: JSON.parse(text) as TriggerAnswer };
    }
    if (!(await readDaemonLiveness(paths.pidFile)).running) {
      return { pid: liveness.record.pid, answer: { id, error: 'the daemon stopped before answering' } };
    }
    await sleep(200);
  }
  return { pid: liveness.record.pid, answer: { id, error: 'timed out waiting for the daemon' } };
}
