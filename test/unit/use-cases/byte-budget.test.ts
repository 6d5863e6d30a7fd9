import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../../lib/use-cases/byte-budget.ts';

describe('ByteBudget', () => {
  it('grants what fits at once, and the rest in order as bytes come back', async () => {
    const budget = new ByteBudget(100);
    const a = await budget.take(60, 1000);
    const b = await budget.take(40, 1000);
    expect(budget.held).toBe(100);
    const order: string[] = [];
    const c = budget.take(50, 1000).then((release) => (order.push('c'), release));
    const d = budget.take(10, 1000).then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    a!();
    a!();
    const [releaseC, releaseD] = await Promise.all([c, d]);
    expect(order).toEqual(['c', 'd']);
    expect(budget.held).toBe(100);
    b!();
    releaseC!();
    releaseD!();
    expect(budget.held).toBe(0);
  });

  it('lets work larger than the budget run alone', async () => {
    const budget = new ByteBudget(100);
    const small = await budget.take(10, 1000);
    const large = budget.take(500, 1000);
    small!();
    const release = await large;
    expect(budget.held).toBe(500);
    release!();
    expect(await budget.take(500, 0)).toBeTypeOf('function');
  });

  it('gives up after the wait, and lets those behind go on', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.take(80, 1000);
    const refused = await budget.take(50, 20);
    expect(refused).toBeUndefined();
    expect(budget.held).toBe(80);
    const later = budget.take(30, 1000);
    first!();
    expect(await later).toBeTypeOf('function');
    expect(budget.held).toBe(30);
  });
});
