/**
 * The store of messages submitted over SMTP (S3), for the functions that read or write them; the
 * adapter and its S3 client are loaded with the first such message (lazy-port.ts).
 */
import { ENV, type Env } from '../env.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import type { WiringOverrides } from './common.ts';
import { lazyPort } from './lazy-port.ts';
import { traced } from './telemetry.ts';

/** The store of messages submitted over SMTP, when there is one (the S3 bucket, or the caller's). */
export function rawMessages(env: Env, overrides: WiringOverrides): RawMessageStore | undefined {
  if (overrides.rawMessages) return overrides.rawMessages;
  const bucket = env[ENV.rawMessageBucket]?.trim();
  if (!bucket) return undefined;
  return lazyPort(
    async () => {
      const [{ s3Client }, { S3RawMessageStore }] = await Promise.all([
        import('../adapters/s3/s3-client.ts'),
        import('../adapters/s3/s3-raw-message-store.ts'),
      ]);
      return new S3RawMessageStore(overrides.s3 ?? traced(s3Client()), bucket);
    },
    { put: true, get: true, delete: true },
  );
}
