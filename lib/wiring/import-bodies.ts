/** The store of contact import bodies (S3), for the functions that write or read them (api, import). */
import { S3Client } from '@aws-sdk/client-s3';
import { S3ImportBodyStore } from '../adapters/s3/s3-import-body-store.ts';
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import type { WiringOverrides } from './common.ts';
import { traced } from './telemetry.ts';

/** Where import bodies wait: the caller's store, or the S3 bucket of MAILROOM_IMPORT_BUCKET. */
export function importBodyStore(env: Env, overrides: WiringOverrides): ImportBodyStore {
  return overrides.importBodies ?? new S3ImportBodyStore(overrides.s3 ?? traced(new S3Client({})), required(env, ENV.importBucket));
}
