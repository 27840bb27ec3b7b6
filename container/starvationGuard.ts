import { PRIORITIES } from '../workers/catalog/constants.js';
import type { Priority } from '../workers/catalog/types.js';

/** Every this many messages a task takes, one turn goes to a lower priority first. */
export const BOOST_EVERY = 4;
/** The priorities that take turns being boosted, in rotation. */
const BOOSTED: readonly Priority[] = PRIORITIES.slice(1);

/**
 * The order in which a task polls its profile's queues.
 *
 * Rule (anti-starvation): strict priority order — critical, high, normal,
 * low — except on every 4th message the task takes: that turn starts with a
 * lower priority, rotating high → normal → low, and falls back to the strict
 * order when that queue is empty. Under a sustained backlog on every queue,
 * each lower priority therefore gets at least one message in every 12 a task
 * takes, while critical keeps at least 3 in 4. With nothing waiting in the
 * boosted queue, the order is plain strict priority.
 *
 * @example
 * const guard = new StarvationGuard();
 * for (const priority of guard.order()) { ... if (message) { guard.taken(priority); break; } }
 */
export class StarvationGuard {
  private sinceBoost = 0;
  private boostIndex = 0;

  /** Queues to poll for the next message, first to last. */
  order(): Priority[] {
    if (!this.isBoostTurn()) return [...PRIORITIES];
    const boosted = BOOSTED[this.boostIndex]!;
    return [boosted, ...PRIORITIES.filter((p) => p !== boosted)];
  }

  /** Records that a message was taken (from any queue). */
  taken(_priority: Priority): void {
    if (this.isBoostTurn()) {
      this.sinceBoost = 0;
      this.boostIndex = (this.boostIndex + 1) % BOOSTED.length;
    } else {
      this.sinceBoost++;
    }
  }

  private isBoostTurn(): boolean {
    return this.sinceBoost >= BOOST_EVERY - 1;
  }
}
