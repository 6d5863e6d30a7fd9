/**
 * The store of messages submitted over SMTP (S3), for the functions that read or write them; the
 * adapter and its S3 client are loaded with the first such message (lazy-port.ts).
 */
import { ENV, type Env } from '../env.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import type { WiringOverrides } from './common.ts';
import { lazyS3Store } from './lazy-s3.ts';

/** The store of messages submitted over SMTP, when there is one (the S3 bucket, or the caller's). */
export function rawMessages(env: Env, overrides: WiringOverrides): RawMessageStore | undefined {
  if (overrides.rawMessages) return overrides.rawMessages;
  const bucket = env[ENV.rawMessageBucket]?.trim();
  if (!bucket) return undefined;
  return lazyS3Store(overrides, async (s3) => new (await import('../adapters/s3/s3-raw-message-store.ts')).S3RawMessageStore(s3, bucket), {
    put: true,
    get: true,
    delete: true,
  });
}
