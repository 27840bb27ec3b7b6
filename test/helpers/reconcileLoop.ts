import type { FargateAgent } from './motoFargateAgent.js';
import type { TestPipeline } from './motoPipeline.js';

/**
 * Waits until `done` holds, calling the dispatcher's reconcile tick about
 * once a second meanwhile, as the reconcile schedule does (every few minutes
 * in production): it starts tasks for messages whose task died or whose
 * RunTask failed.
 *
 * @example
 * await reconcileUntil(pipeline, agent, async () => (await countQueuedMessages(pipeline)) === 0, 60_000, 'the queue to drain');
 */
export async function reconcileUntil(pipeline: TestPipeline, agent: FargateAgent, done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  let lastTick = 0;
  await agent.waitFor(
    async () => {
      if (Date.now() - lastTick >= 1_000) {
        lastTick = Date.now();
        await pipeline.dispatch({ source: 'schedule', action: 'reconcile' });
      }
      return done();
    },
    timeoutMs,
    what,
  );
}
