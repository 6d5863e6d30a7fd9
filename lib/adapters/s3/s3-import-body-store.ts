/**
 * ImportBodyStore on S3: one PutObject per body (an import is at most MAX_IMPORT_BYTES, far
 * below a single PUT's limit), read whole by the import function and removed once its
 * contacts are written. The bucket's lifecycle rule removes what a failed job leaves.
 */
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportBodyStore } from '../../ports/import-body-store.ts';

/** {@link ImportBodyStore} on one S3 bucket. */
export class S3ImportBodyStore implements ImportBodyStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    const contentType = key.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json';
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return output.Body ? await output.Body.transformToString('utf-8') : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
