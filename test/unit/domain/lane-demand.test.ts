import { describe, expect, it } from 'vitest';
import { LaneDemand } from '../../../lib/domain/lane-demand.ts';

describe('LaneDemand', () => {
  it('knows nothing of a first request alone: a lease for it takes only what it needs', () => {
    const demand = new LaneDemand();
    demand.ask(3, 0);
    expect(demand.estimate(0, 20, 3)).toEqual({ perSecond: 0, unit: 3 });
  });

  it("takes the last window's rate, or this one's so far when higher, and the usual request size", () => {
    const demand = new LaneDemand();
    for (let i = 0; i < 10; i++) demand.ask(2, 0);
    demand.roll(true);
    demand.ask(2, 0);
    expect(demand.estimate(0, 20, 2)).toEqual({ perSecond: 20, unit: 2 });
    // Half way through the window, 20 recipients asked already (the one being served aside): 40 a second.
    for (let i = 0; i < 10; i++) demand.ask(2, 0);
    expect(demand.estimate(9, 20, 2).perSecond).toBe(40);
  });

  it('wants half as much again when its requests queue up behind each other, and forgets after a gap', () => {
    const demand = new LaneDemand();
    for (let i = 0; i < 10; i++) demand.ask(10, 70);
    demand.roll(true);
    demand.ask(10, 70);
    expect(demand.estimate(0, 20, 10).perSecond).toBe(150);
    demand.roll(false);
    demand.ask(10, 0);
    expect(demand.estimate(0, 20, 10).perSecond).toBe(0);
  });
});
