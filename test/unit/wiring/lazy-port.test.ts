/** lazyPort: an adapter loaded at the first call of one of its methods, once. */
import { describe, expect, it } from 'vitest';
import { lazyPort, portInstance } from '../../../lib/wiring/lazy-port.ts';

interface Counter {
  add(n: number): Promise<number>;
  total(): Promise<number>;
}

class MemoryCounter implements Counter {
  private sum = 0;
  async add(n: number): Promise<number> {
    this.sum += n;
    return this.sum;
  }
  async total(): Promise<number> {
    return this.sum;
  }
}

describe('lazyPort', () => {
  it('loads nothing until a method is called, then loads once and forwards every call to the one instance', async () => {
    let loads = 0;
    const counter = lazyPort<Counter>(
      async () => {
        loads++;
        return new MemoryCounter();
      },
      { add: true, total: true },
    );
    expect(loads).toBe(0);
    expect(await Promise.all([counter.add(2), counter.add(3)])).toEqual([2, 5]);
    expect(await counter.total()).toBe(5);
    expect(loads).toBe(1);
    expect(await portInstance(counter)).toBeInstanceOf(MemoryCounter);
    expect(loads).toBe(1);
  });

  it('passes on what the adapter throws', async () => {
    const counter = lazyPort<Counter>(async () => ({ add: async () => Promise.reject(new RangeError('too many')), total: async () => 0 }), {
      add: true,
      total: true,
    });
    await expect(counter.add(1)).rejects.toThrow(RangeError);
    expect(await counter.total()).toBe(0);
  });

  it('tries a failed load again at the next call', async () => {
    let attempts = 0;
    const counter = lazyPort<Counter>(
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('module not found');
        return new MemoryCounter();
      },
      { add: true, total: true },
    );
    await expect(counter.add(1)).rejects.toThrow('module not found');
    expect(await counter.add(4)).toBe(4);
    expect(attempts).toBe(2);
  });

  it('answers a port that is no stand-in as it is', async () => {
    const counter = new MemoryCounter();
    expect(await portInstance(counter)).toBe(counter);
  });
});
