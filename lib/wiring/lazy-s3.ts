/**
 * An S3 store loaded when first used (lazy-port.ts): the adapter's module and a default S3 client
 * (s3-client.ts, not the whole client package) are imported with its first call. The caller's
 * client (`overrides.s3`) is used when given.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { WiringOverrides } from './common.ts';
import { lazyPort, type AsyncPort } from './lazy-port.ts';
import { traced } from './telemetry.ts';

/** `T` made by `make` with the S3 client when one of `methods` is first called. */
export function lazyS3Store<T extends AsyncPort<T>>(
  overrides: WiringOverrides,
  make: (s3: S3Client) => Promise<T>,
  methods: { [K in keyof T]-?: true },
): T {
  return lazyPort(async () => {
    const s3 = overrides.s3 ?? traced((await import('../adapters/s3/s3-client.ts')).s3Client());
    return make(s3);
  }, methods);
}
