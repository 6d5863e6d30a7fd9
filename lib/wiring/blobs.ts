/**
 * The store of export files (S3), apart from the other S3 stores: it pulls in
 * @aws-sdk/lib-storage, which only the functions that write or link exports need.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore } from '../adapters/s3/s3-blob-store.ts';
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { WiringOverrides } from './common.ts';
import { traced } from './telemetry.ts';

/** Where export files go: the caller's store, or the S3 bucket of MAILROOM_EXPORT_BUCKET. */
export function blobStore(env: Env, overrides: WiringOverrides): BlobStore {
  return overrides.blobs ?? new S3BlobStore(overrides.s3 ?? traced(new S3Client({})), required(env, ENV.exportBucket));
}
