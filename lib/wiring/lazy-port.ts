/**
 * A port whose adapter is loaded on the first call of one of its methods. The wiring passes a
 * loader that imports the adapter module (and with it its SDK client) with `import()`: in a
 * Lambda bundle such a module is initialised only when first imported, so a function whose
 * requests seldom need a store (the api's S3 stores, EventBridge Scheduler) does not build it
 * at every cold start.
 */

/** A port of asynchronous methods only: what a lazily loaded adapter can stand in for. */
export type AsyncPort<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

// Each stand-in's loader, for portInstance.
const loaders = new WeakMap<object, () => Promise<unknown>>();

/**
 * `T` built by `load` when one of `methods` is first called; later calls use the same
 * instance. A load that fails is tried again at the next call. `methods` names every method
 * of the port (the type checker insists), so that none is missing from the stand-in.
 */
export function lazyPort<T extends AsyncPort<T>>(load: () => Promise<T>, methods: { [K in keyof T]-?: true }): T {
  let loading: Promise<T> | undefined;
  const instance = (): Promise<T> =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  const port: Partial<Record<keyof T, unknown>> = {};
  for (const name of Object.keys(methods) as (keyof T)[]) {
    port[name] = async (...args: unknown[]) => {
      const target = await instance();
      const method = target[name] as unknown as (...args: unknown[]) => Promise<unknown>;
      return method.apply(target, args);
    };
  }
  loaders.set(port, instance);
  return port as T;
}

/** The adapter behind `port`, loaded now if it was not yet: `port` itself when it is no {@link lazyPort}. */
export async function portInstance<T extends object>(port: T): Promise<T> {
  const load = loaders.get(port);
  return load ? ((await load()) as T) : port;
}
