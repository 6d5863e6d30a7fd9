/**
 * The store of contact import bodies (S3), for the functions that write or read them (api,
 * import); the adapter and its S3 client are loaded when first used (lazy-port.ts).
 */
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import type { WiringOverrides } from './common.ts';
import { lazyPort } from './lazy-port.ts';
import { traced } from './telemetry.ts';

/** Where import bodies wait: the caller's store, or the S3 bucket of MAILROOM_IMPORT_BUCKET. */
export function importBodyStore(env: Env, overrides: WiringOverrides): ImportBodyStore {
  if (overrides.importBodies) return overrides.importBodies;
  const bucket = required(env, ENV.importBucket);
  return lazyPort(
    async () => {
      const [{ s3Client }, { S3ImportBodyStore }] = await Promise.all([
        import('../adapters/s3/s3-client.ts'),
        import('../adapters/s3/s3-import-body-store.ts'),
      ]);
      return new S3ImportBodyStore(overrides.s3 ?? traced(s3Client()), bucket);
    },
    { put: true, get: true, delete: true },
  );
}
