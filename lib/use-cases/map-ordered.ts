/** Bounded, order-keeping concurrency over an async iterable. */

/**
 * Yields `task(item)` for every item of `source`, in source order, with at most `limit` tasks
 * running at once. The source is read only as results are taken, so memory holds at most
 * `limit` results however long the source is. Rejects with the first failure in order.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, limit: number, task: (item: T) => Promise<R>): AsyncGenerator<R> {
  const running: Promise<R>[] = [];
  const start = (item: T) => {
    const promise = task(item);
    // Marked handled: a later task may fail while an earlier one is awaited; its error is
    // rethrown when its turn comes, instead of being reported as an unhandled rejection.
    promise.catch(() => undefined);
    running.push(promise);
  };
  for await (const item of source) {
    start(item);
    if (running.length >= Math.max(1, limit)) yield await running.shift()!;
  }
  while (running.length) yield await running.shift()!;
}
