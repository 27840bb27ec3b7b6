import { describe, expect, it } from 'vitest';
import { BOOST_EVERY, StarvationGuard } from '../../container/starvationGuard.js';
import type { Priority } from '../../workers/catalog/types.js';

/** Simulates a task taking `count` messages from queues that never run dry. */
function takeFromFullQueues(count: number): Priority[] {
  const guard = new StarvationGuard();
  const taken: Priority[] = [];
  for (let i = 0; i < count; i++) {
    const priority = guard.order()[0]!;
    guard.taken(priority);
    taken.push(priority);
  }
  return taken;
}

describe('StarvationGuard', () => {
  it('polls in strict priority order between boosts', () => {
    // act
    const guard = new StarvationGuard();

    // assess
    expect(guard.order()).toEqual(['critical', 'high', 'normal', 'low']);
  });

  it('gives every lower priority a turn in every 12 messages when all queues are full, and critical 3 in 4', () => {
    // act
    const taken = takeFromFullQueues(24);

    // assess
    expect(BOOST_EVERY).toBe(4);
    expect(taken.slice(0, 12)).toEqual(['critical', 'critical', 'critical', 'high', 'critical', 'critical', 'critical', 'normal', 'critical', 'critical', 'critical', 'low']);
    expect(taken.slice(12)).toEqual(taken.slice(0, 12));
  });

  it('falls back to strict order when the boosted queue is empty', () => {
    // prepare: only critical and low have messages
    const guard = new StarvationGuard();
    const available = new Set<Priority>(['critical', 'low']);
    const taken: Priority[] = [];

    // act
    for (let i = 0; i < 12; i++) {
      const priority = guard.order().find((p) => available.has(p))!;
      guard.taken(priority);
      taken.push(priority);
    }

    // assess: high's and normal's boosted turns go to critical; low's goes to low
    expect(taken.filter((p) => p === 'low')).toHaveLength(1);
    expect(taken[11]).toBe('low');
  });
});
