/**
 * RawMessageStore on S3. Messages stream in through `@aws-sdk/lib-storage` (one PutObject for
 * a small message, bounded multipart parts for a large one, aborted if the source fails), so
 * a 40 MB message is never held whole while it arrives. The bucket's lifecycle rule removes
 * objects after the retention period.
 */
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { RawMessageStore } from '../../ports/raw-message-store.ts';

async function* counted(chunks: AsyncIterable<Uint8Array>, total: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    total.bytes += chunk.byteLength;
    yield chunk;
  }
}

/** {@link RawMessageStore} on one S3 bucket. */
export class S3RawMessageStore implements RawMessageStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Multipart part size (at least 5 MiB); two parts are in flight at most. */
    private readonly partSize = 8 * 1024 * 1024,
  ) {}

  async put(key: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number }> {
    const total = { bytes: 0 };
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(counted(chunks, total)), ContentType: 'message/rfc822' },
      partSize: Math.max(5 * 1024 * 1024, this.partSize),
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return total;
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

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
