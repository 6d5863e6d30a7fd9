/**
 * S3BlobStore against a loopback endpoint that answers like S3 (there is no S3 emulator here):
 * the real SDK sends its real PutObject, multipart and abort requests, and signs real URLs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../lib/adapters/s3/s3-blob-store.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type RecordedRequest } from './fake-aws-endpoint.ts';

const MiB = 1024 * 1024;
const options = { contentType: 'text/csv; charset=utf-8', fileName: 'mailroom-sends-2026-11-01-to-2026-11-30.csv' };

let fake: FakeAwsEndpoint | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Answers PutObject and the multipart calls the way S3 does. */
function s3Like(request: RecordedRequest) {
  const url = new URL(request.path, 'http://s3');
  if (request.method === 'POST' && url.searchParams.has('uploads')) {
    return {
      body: '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>exports</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>',
    };
  }
  if (request.method === 'POST' && url.searchParams.has('uploadId')) {
    return {
      body: '<?xml version="1.0"?><CompleteMultipartUploadResult><Bucket>exports</Bucket><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>',
    };
  }
  if (request.method === 'DELETE') return { status: 204, body: '' };
  return { headers: { etag: `"${url.searchParams.get('partNumber') ?? 'single'}"` }, body: '' };
}

async function storeOn(endpoint: FakeAwsEndpoint): Promise<S3BlobStore> {
  return new S3BlobStore(new S3Client({ ...localClientConfig(endpoint.endpoint), forcePathStyle: true }), 'exports', { partSize: 5 * MiB });
}

async function* chunksOf(total: number, size = 64 * 1024, failAfter = Infinity) {
  for (let sent = 0; sent < total; sent += size) {
    if (sent >= failAfter) throw new Error('source failed');
    yield Buffer.alloc(Math.min(size, total - sent), (sent / size) % 251);
  }
}

describe('S3BlobStore', () => {
  it('puts a small file in one request with its type and download name', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = await storeOn(fake);
    expect(
      await store.put(
        '01J/1/r.csv',
        (async function* () {
          yield '\uFEFFa,b\r\n';
          yield 'c,d\r\n';
        })(),
        options,
      ),
    ).toEqual({ bytes: 13 });
    expect(fake.requests).toHaveLength(1);
    const [put] = fake.requests;
    expect(put).toMatchObject({ method: 'PUT', path: expect.stringMatching(/^\/exports\/01J\/1\/r\.csv/) });
    expect(put!.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(put!.headers['content-disposition']).toBe(`attachment; filename="${options.fileName}"`);
    expect(put!.body).toBe('\uFEFFa,b\r\nc,d\r\n');
  });

  it('streams a large file as a multipart upload of bounded parts', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = await storeOn(fake);
    expect(await store.put('big.csv', chunksOf(12 * MiB), options)).toEqual({ bytes: 12 * MiB });
    const calls = fake.requests.map((r) => {
      const query = new URL(r.path, 'http://s3').searchParams;
      query.delete('x-id');
      return `${r.method} ?${[...query.keys()]
        .sort()
        .map((k) => (query.get(k) ? `${k}=${query.get(k)}` : k))
        .join('&')}`;
    });
    expect(calls[0]).toBe('POST ?uploads');
    expect(calls.filter((c) => c.startsWith('PUT')).sort()).toEqual([
      'PUT ?partNumber=1&uploadId=U1',
      'PUT ?partNumber=2&uploadId=U1',
      'PUT ?partNumber=3&uploadId=U1',
    ]);
    expect(calls.at(-1)).toBe('POST ?uploadId=U1');
    const parts = fake.requests.filter((r) => r.method === 'PUT').map((r) => Buffer.byteLength(r.body, 'latin1'));
    expect(Math.max(...parts)).toBeLessThanOrEqual(5 * MiB + 64 * 1024);
  });

  it('aborts the multipart upload when the source fails', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = await storeOn(fake);
    await expect(store.put('big.csv', chunksOf(12 * MiB, 64 * 1024, 6 * MiB), options)).rejects.toThrow('source failed');
    expect(fake.requests.map((r) => r.method)).toContain('DELETE');
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.includes('uploadId=U1'))).toBe(false);
  });

  it('presigns a GET that expires', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = await storeOn(fake);
    const url = new URL(await store.downloadUrl('01J/1/r.csv', 3600));
    expect(url.pathname).toBe('/exports/01J/1/r.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^local\//);
    expect(fake.requests).toHaveLength(0);
  });
});
