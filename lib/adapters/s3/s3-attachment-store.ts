/**
 * AttachmentStore on S3, under the `attachments/` prefix of the bucket that also keeps SMTP
 * submissions. Uploads are presigned PUT URLs whose signature covers `Content-Length`: S3
 * refuses a PUT of any other size. Whether an upload arrived is asked with ListObjectsV2, so
 * that the API needs no read access to what it stores.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentStore } from '../../ports/attachment-store.ts';

/**
 * An S3 client for {@link S3AttachmentStore}. Since SDK 3.729 a client adds a CRC32 checksum
 * of the (empty) request body to presigned PUT URLs, which S3 then compares with the uploaded
 * bytes and refuses: checksums only where an operation requires them.
 */
export function attachmentS3Client(config: ConstructorParameters<typeof S3Client>[0] = {}): S3Client {
  return new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED' });
}

/** {@link AttachmentStore} on one S3 bucket. */
export class S3AttachmentStore implements AttachmentStore {
  constructor(
    /** Built with {@link attachmentS3Client}, or with checksums only when required. */
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  /** A presigned PUT of exactly `size` bytes; S3 refuses it after `expiresSeconds` (or when the signing credentials expire). */
  async uploadUrl(key: string, size: number, expiresSeconds: number): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: size });
    const url = await getSignedUrl(this.client, command, { expiresIn: Math.max(1, Math.min(604_800, Math.floor(expiresSeconds))) });
    // A checksum of no bytes would make S3 refuse every upload (see attachmentS3Client).
    if (/[?&]x-amz-checksum-/i.test(url)) throw new Error('the S3 client of attachments must compute checksums only when required');
    return url;
  }

  async size(key: string): Promise<number | undefined> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }));
    const first = listed.Contents?.[0];
    return first?.Key === key ? (first.Size ?? 0) : undefined;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!output.Body) return undefined;
      return Buffer.from(await output.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
