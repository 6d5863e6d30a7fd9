/**
 * S3AttachmentStore against a loopback endpoint that answers like S3: the real SDK sends its
 * real requests and presigns real URLs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { attachmentS3Client, S3AttachmentStore } from '../../../lib/adapters/s3/s3-attachment-store.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type RecordedRequest, type ScriptedResponse } from './fake-aws-endpoint.ts';

let fake: FakeAwsEndpoint | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const KEY = 'attachments/acme/uploads/01JFV4R6Q3Y5W7E9G1H3K5M7N9';

function listing(key: string, size: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix>${key}</Prefix><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>${key}</Key><Size>${size}</Size></Contents></ListBucketResult>`;
}

function s3Like(request: RecordedRequest): ScriptedResponse {
  const url = new URL(request.path, 'http://s3');
  if (request.method === 'GET' && url.searchParams.get('list-type') === '2') {
    const prefix = url.searchParams.get('prefix') ?? '';
    if (prefix === KEY) return { body: listing(KEY, 1234) };
    // S3 lists keys after the prefix too: a longer key is not the one asked for.
    return { body: listing(`${prefix}-other`, 5) };
  }
  if (request.method === 'GET' && url.pathname.endsWith('/missing')) {
    return {
      status: 404,
      body: '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
    };
  }
  if (request.method === 'GET') return { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' };
  return { headers: { etag: '"e"' }, body: '' };
}

function storeOn(
  endpoint: FakeAwsEndpoint,
  client = attachmentS3Client({ ...localClientConfig(endpoint.endpoint), forcePathStyle: true }),
) {
  return new S3AttachmentStore(client, 'mail');
}

describe('S3AttachmentStore', () => {
  it('puts bytes with their media type', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    await storeOn(fake).put('attachments/acme/01J/0', Buffer.from('hello'), 'text/plain');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'PUT',
      path: expect.stringMatching(/^\/mail\/attachments\/acme\/01J\/0/),
      body: 'hello',
    });
    expect(fake.requests[0]!.headers['content-type']).toBe('text/plain');
  });

  it('presigns a PUT whose signature covers the size, with no checksum of an empty body', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const url = new URL(await storeOn(fake).uploadUrl(KEY, 1234, 900));
    expect(url.pathname).toBe(`/mail/${KEY}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('refuses to presign with a client that would add a checksum of no bytes', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const plain = new S3Client({ ...localClientConfig(fake.endpoint), forcePathStyle: true });
    await expect(storeOn(fake, plain).uploadUrl(KEY, 1, 900)).rejects.toThrow(/checksums only when required/);
  });

  it('tells the size of an uploaded file by listing its key exactly, and nothing for another', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = storeOn(fake);
    expect(await store.size(KEY)).toBe(1234);
    expect(await store.size('attachments/acme/uploads/01JFV4R6Q3Y5W7E9G1H3K5M7NA')).toBeUndefined();
    const list = new URL(fake.requests[0]!.path, 'http://s3').searchParams;
    expect(Object.fromEntries(list)).toMatchObject({ 'list-type': '2', prefix: KEY, 'max-keys': '1' });
  });

  it('reads bytes back, and nothing for a key that is gone', async () => {
    fake = await startFakeAwsEndpoint(s3Like);
    const store = storeOn(fake);
    expect((await store.get('attachments/acme/01J/0'))?.toString()).toBe('%PDF-1.7');
    expect(await store.get('attachments/acme/01J/missing')).toBeUndefined();
  });
});
