import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../../lib/use-cases/map-ordered.ts';
import { waitFor } from '../../support/wait.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* numbers(count: number, pulled: { count: number } = { count: 0 }) {
  for (let i = 0; i < count; i++) {
    pulled.count += 1;
    yield i;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('mapOrdered', () => {
  it('keeps the source order whatever order the tasks finish in', async () => {
    const out = await collect(
      mapOrdered(numbers(20), 5, async (n) => {
        await sleep((20 - n) % 7);
        return n * 2;
      }),
    );
    expect(out).toEqual(Array.from({ length: 20 }, (_, n) => n * 2));
  });

  it('runs at most `limit` tasks at once and reads the source only as results are taken', async () => {
    let running = 0;
    let most = 0;
    const pulled = { count: 0 };
    const iterator = mapOrdered(numbers(100, pulled), 4, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(2);
      running -= 1;
      return n;
    });
    expect((await iterator.next()).value).toBe(0);
    expect(pulled.count).toBeLessThanOrEqual(5);
    for await (const _ of iterator) void _;
    expect(most).toBe(4);
  });

  it('rethrows a failure in order, without an unhandled rejection from tasks still running', async () => {
    const seen: number[] = [];
    let running = 0;
    const run = collect(
      mapOrdered(numbers(10), 3, async (n) => {
        running += 1;
        try {
          if (n === 4) throw new Error('boom');
          if (n === 5) {
            await sleep(1);
            throw new Error('later');
          }
          await sleep(5);
          seen.push(n);
          return n;
        } finally {
          running -= 1;
        }
      }),
    );
    await expect(run).rejects.toThrow('boom');
    // The tasks still running when the failure was rethrown end (one of them failing too);
    // a turn of the event loop later, Node would have reported a rejection nobody handled.
    await waitFor(
      () => running,
      (left) => left === 0,
      { timeout: 5_000, interval: 1, message: 'the tasks still running to end' },
    );
    await new Promise((resolve) => setImmediate(resolve));
  });
});
