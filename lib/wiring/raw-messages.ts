/** The store of messages submitted over SMTP (S3), for the functions that read or write them. */
import { S3Client } from '@aws-sdk/client-s3';
import { S3RawMessageStore } from '../adapters/s3/s3-raw-message-store.ts';
import { ENV, type Env } from '../env.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import type { WiringOverrides } from './common.ts';
import { traced } from './telemetry.ts';

/** The store of messages submitted over SMTP, when there is one (the S3 bucket, or the caller's). */
export function rawMessages(env: Env, overrides: WiringOverrides): RawMessageStore | undefined {
  if (overrides.rawMessages) return overrides.rawMessages;
  const bucket = env[ENV.rawMessageBucket]?.trim();
  return bucket ? new S3RawMessageStore(overrides.s3 ?? traced(new S3Client({})), bucket) : undefined;
}
