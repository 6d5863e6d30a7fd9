import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderAttachmentStore } from '../../../lib/adapters/fs/folder-attachment-store.ts';
import { UPLOAD_PREFIX, type UploadQuery } from '../../../lib/adapters/fs/upload-links.ts';
import { clockAt } from '../../support/fakes/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'attachment-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const clock = clockAt('2026-11-28T12:00:00.000Z');
const store = new FolderAttachmentStore({ folder, secret: randomBytes(32), baseUrl: () => 'http://127.0.0.1:3000', clock });
const KEY = 'attachments/acme/uploads/01JFV4R6Q3Y5W7E9G1H3K5M7N9';

async function* body(...parts: (string | Buffer)[]) {
  for (const part of parts) yield Buffer.from(part);
}

/** The key and query of an upload link. */
function linkParts(url: string): { key: string; query: UploadQuery } {
  const parsed = new URL(url);
  return {
    key: decodeURIComponent(parsed.pathname.slice(UPLOAD_PREFIX.length)),
    query: {
      expires: parsed.searchParams.get('expires'),
      size: parsed.searchParams.get('size'),
      signature: parsed.searchParams.get('signature'),
    },
  };
}

describe('FolderAttachmentStore', () => {
  it('stores, sizes and reads bytes by key', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await store.put('attachments/acme/01J/0', bytes, 'application/octet-stream');
    expect(await store.get('attachments/acme/01J/0')).toEqual(bytes);
    expect(await store.size('attachments/acme/01J/0')).toBe(256);
    expect(await store.size('attachments/acme/01J/1')).toBeUndefined();
    expect(await store.get('attachments/acme/01J/1')).toBeUndefined();
  });

  it.each(['smtp/01J.eml', 'attachments/../dev-api-key', 'attachments/a//b', 'attachments/é'])('refuses the key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/unsafe attachment key/);
    await expect(store.get(key)).rejects.toThrow(/unsafe attachment key/);
  });

  it('takes exactly the bytes an upload link was made for, until it expires', async () => {
    const url = await store.uploadUrl(KEY, 5, 900);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:3000\/local\/uploads\/attachments\/acme\/uploads\/01JFV4R6Q3Y5W7E9G1H3K5M7N9\?expires=\d+&size=5&signature=/,
    );
    const { key, query } = linkParts(url);
    expect(await store.receive(key, query, '4', body('hell'))).toBe('wrong_size');
    expect(await store.receive(key, query, '5', body('hello', '!'))).toBe('wrong_size');
    expect(await store.receive(key, query, '5', body('hell'))).toBe('wrong_size');
    expect(await store.size(KEY)).toBeUndefined();
    expect(await store.receive(key, query, '5', body('he', 'llo'))).toBe('stored');
    expect((await store.get(KEY))?.toString()).toBe('hello');
    expect(readdirSync(join(folder, 'attachments/acme/uploads')).filter((f) => f.endsWith('.partial'))).toEqual([]);

    expect(await store.receive(key, { ...query, size: '6' }, '6', body('hello!'))).toBe('bad_signature');
    expect(await store.receive('attachments/acme/uploads/01JFV4R6Q3Y5W7E9G1H3K5M7NA', query, '5', body('hello'))).toBe('bad_signature');
    expect(await store.receive(key, { ...query, signature: null }, '5', body('hello'))).toBe('malformed');
    const later = new FolderAttachmentStore({
      folder,
      secret: Buffer.alloc(32, 1),
      baseUrl: () => '',
      clock: clockAt('2026-11-28T12:15:01.000Z'),
    });
    const expired = linkParts(
      await new FolderAttachmentStore({ folder, secret: Buffer.alloc(32, 1), baseUrl: () => 'http://x', clock }).uploadUrl(KEY, 5, 900),
    );
    expect(await later.receive(expired.key, expired.query, '5', body('hello'))).toBe('expired');
  });
});
