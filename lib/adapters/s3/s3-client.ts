/**
 * A default S3 client, for the wiring that loads an S3 adapter when first used: importing this
 * module rather than `@aws-sdk/client-s3` itself keeps every command of the package that mailroom
 * never sends out of the bundle (a module imported with `import()` is kept whole).
 */
import { S3Client } from '@aws-sdk/client-s3';

/** An S3 client with the SDK's defaults (Region and credentials from the environment). */
export function s3Client(): S3Client {
  return new S3Client({});
}
