/**
 * The store of contact import bodies (S3), for the functions that write or read them (api,
 * import); the adapter and its S3 client are loaded when first used (lazy-port.ts).
 */
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import type { WiringOverrides } from './common.ts';
import { lazyS3Store } from './lazy-s3.ts';

/** Where import bodies wait: the caller's store, or the S3 bucket of MAILROOM_IMPORT_BUCKET. */
export function importBodyStore(env: Env, overrides: WiringOverrides): ImportBodyStore {
  if (overrides.importBodies) return overrides.importBodies;
  const bucket = required(env, ENV.importBucket);
  return lazyS3Store(overrides, async (s3) => new (await import('../adapters/s3/s3-import-body-store.ts')).S3ImportBodyStore(s3, bucket), {
    put: true,
    get: true,
    delete: true,
  });
}
