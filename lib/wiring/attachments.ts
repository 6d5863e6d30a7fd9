/**
 * Where the bytes of attachments are (S3 under `attachments/`) and the upload records, for the
 * api and deliver functions. The S3 adapter and its client are loaded when first used
 * (lazy-port.ts): most sends carry no files.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoUploadStore } from '../adapters/dynamodb/upload-store.ts';
import { mediaTypeOf } from '../adapters/mime/media-types.ts';
import { retentionDays, retryPolicy, type TableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { AttachmentStore } from '../ports/attachment-store.ts';
import type { AttachmentDeps } from '../use-cases/attachments.ts';
import type { WiringOverrides } from './common.ts';
import { lazyPort } from './lazy-port.ts';
import { traced } from './telemetry.ts';

const DAY_MS = 86_400_000;

/** The store of attachment bytes: the caller's (local mode: a folder), else the bucket of MAILROOM_ATTACHMENT_BUCKET; undefined without either. */
export function attachmentStore(env: Env, overrides: WiringOverrides): AttachmentStore | undefined {
  if (overrides.attachments) return overrides.attachments;
  const bucket = env[ENV.attachmentBucket]?.trim();
  if (!bucket) return undefined;
  return lazyPort(
    async () => {
      const { attachmentS3Client, S3AttachmentStore } = await import('../adapters/s3/s3-attachment-store.ts');
      return new S3AttachmentStore(traced(attachmentS3Client()), bucket);
    },
    { put: true, uploadUrl: true, size: true, get: true },
  );
}

/**
 * What accepting attachments needs; undefined without a store. An upload may be sent until a
 * day (and the retry deadline) before its bytes and record expire with the messages' retention.
 */
export function attachmentDeps(
  env: Env,
  overrides: WiringOverrides,
  dynamo: DynamoDBClient,
  names: TableNames,
): AttachmentDeps | undefined {
  const store = attachmentStore(env, overrides);
  if (!store) return undefined;
  const days = retentionDays(env);
  return {
    store,
    uploads: new DynamoUploadStore(dynamo, names.uploads, { retentionDays: days }),
    contentTypeOf: mediaTypeOf,
    uploadUsableMs: days * DAY_MS - retryPolicy(env).maxAgeSeconds * 1000 - DAY_MS,
  };
}
