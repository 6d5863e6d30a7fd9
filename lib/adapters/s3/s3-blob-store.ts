/**
 * BlobStore on S3. Uploads stream through `@aws-sdk/lib-storage` (one PutObject for a small
 * file, a multipart upload of bounded parts otherwise, aborted if the source fails), and
 * downloads are presigned GET URLs, signed with the caller's credentials and valid until
 * they expire.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type { BlobStore, PutBlobOptions } from '../../ports/blob-store.ts';

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /**
   * Part size of multipart uploads in bytes; 8 MiB by default. At most `partSize × queueSize`
   * bytes are buffered at once, whatever the file's size (S3 allows 10,000 parts: 80 GB).
   */
  partSize?: number;
  /** Parts uploaded in parallel; 2 by default. */
  queueSize?: number;
}

/** The file name as a Content-Disposition value; names are ASCII (export-job.ts), quotes are dropped to be safe. */
function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/["\\\r\n]/g, '')}"`;
}

async function* counted(chunks: AsyncIterable<Uint8Array | string>, total: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total.bytes += bytes.byteLength;
    yield bytes;
  }
}

/** {@link BlobStore} on one S3 bucket. */
export class S3BlobStore implements BlobStore {
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3BlobStoreOptions = {},
  ) {
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
  }

  async put(key: string, chunks: AsyncIterable<Uint8Array | string>, options: PutBlobOptions): Promise<{ bytes: number }> {
    const total = { bytes: 0 };
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: Readable.from(counted(chunks, total)),
        ContentType: options.contentType,
        ContentDisposition: attachment(options.fileName),
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
    });
    await upload.done();
    return total;
  }

  /** A presigned GET URL; S3 refuses it after `expiresSeconds` (at most 7 days). */
  async downloadUrl(key: string, expiresSeconds: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key });
    return getSignedUrl(this.client, command, { expiresIn: Math.max(1, Math.min(604_800, Math.floor(expiresSeconds))) });
  }
}
