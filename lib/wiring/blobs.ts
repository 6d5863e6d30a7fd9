/**
 * The store of export files (S3), apart from the other S3 stores: it pulls in
 * @aws-sdk/lib-storage, which only the functions that write or link exports need. The adapter
 * and its S3 client are loaded when first used (lazy-port.ts).
 */
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { WiringOverrides } from './common.ts';
import { lazyS3Store } from './lazy-s3.ts';

/** Where export files go: the caller's store, or the S3 bucket of MAILROOM_EXPORT_BUCKET. */
export function blobStore(env: Env, overrides: WiringOverrides): BlobStore {
  if (overrides.blobs) return overrides.blobs;
  const bucket = required(env, ENV.exportBucket);
  return lazyS3Store(overrides, async (s3) => new (await import('../adapters/s3/s3-blob-store.ts')).S3BlobStore(s3, bucket), {
    put: true,
    downloadUrl: true,
  });
}
