import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderBlobStore } from '../../../lib/adapters/fs/folder-blob-store.ts';
import { checkLink, isSafeKey, sign } from '../../../lib/adapters/fs/url-signature.ts';
import { clockAt } from '../../support/fakes/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'blob-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const clock = clockAt('2026-11-28T12:00:00.000Z');
const secret = randomBytes(32);
const store = new FolderBlobStore({ folder, secret, baseUrl: () => 'http://127.0.0.1:3000', clock });
const options = { contentType: 'text/csv; charset=utf-8', fileName: 'r.csv' };

async function* chunks(...parts: string[]) {
  yield* parts;
}

function linkParts(url: string) {
  const parsed = new URL(url);
  return {
    key: decodeURIComponent(parsed.pathname.slice('/local/exports/'.length)),
    expires: parsed.searchParams.get('expires'),
    signature: parsed.searchParams.get('signature'),
  };
}

describe('url signatures', () => {
  it.each(['01J/1/mailroom-sends-2026-11-01-to-2026-11-30.csv', 'a', 'a_b-c.d/e'])('accepts the key %s', (key) => {
    expect(isSafeKey(key)).toBe(true);
  });

  it.each(['', '../x', 'a/../b', './a', 'a//b', '/abs', 'a/.hidden', 'a\\b', 'a b', 'a%2Fb', 'é'])('refuses the key %j', (key) => {
    expect(isSafeKey(key)).toBe(false);
  });

  it('accepts a good link until it expires, and nothing altered', () => {
    const signature = sign(secret, 'k/1/r.csv', 2000);
    expect(checkLink(secret, 'k/1/r.csv', '2000', signature, 1999)).toBeUndefined();
    expect(checkLink(secret, 'k/1/r.csv', '2000', signature, 2001)).toBe('expired');
    expect(checkLink(secret, 'k/1/s.csv', '2000', signature, 1999)).toBe('bad_signature');
    expect(checkLink(secret, 'k/1/r.csv', '2001', signature, 1999)).toBe('bad_signature');
    expect(checkLink(randomBytes(32), 'k/1/r.csv', '2000', signature, 1999)).toBe('bad_signature');
    expect(checkLink(secret, 'k/1/r.csv', null, signature, 1999)).toBe('malformed');
    expect(checkLink(secret, 'k/1/r.csv', '2000', 'short', 1999)).toBe('malformed');
  });
});

describe('FolderBlobStore', () => {
  it('stores the chunks and opens them through its own signed link only', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    expect(await store.put('01J/1/r.csv', chunks('a,b\r\n', 'ü\r\n'), options)).toEqual({ bytes: 9 });
    const url = await store.downloadUrl('01J/1/r.csv', 3600);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/local\/exports\/01J\/1\/r\.csv\?expires=\d+&signature=[\w-]{43}$/);
    const { key, expires, signature } = linkParts(url);
    expect(Number(expires)).toBe(clock.now().getTime() / 1000 + 3600);
    const opened = await store.open(key, expires, signature);
    expect(opened).toMatchObject({ size: 9, fileName: 'r.csv', contentType: 'text/csv; charset=utf-8' });
    expect(readFileSync((opened as { path: string }).path, 'utf8')).toBe('a,b\r\nü\r\n');

    clock.advance(3601_000);
    expect(await store.open(key, expires, signature)).toBe('expired');
  });

  it('says not_found for a good link to a file that is gone', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    const { key, expires, signature } = linkParts(await store.downloadUrl('01J/9/none.csv', 60));
    expect(await store.open(key, expires, signature)).toBe('not_found');
  });

  it('leaves no file behind when the source fails halfway', async () => {
    async function* failing() {
      yield 'first,row\r\n';
      throw new Error('DynamoDB went away');
    }
    await expect(store.put('01K/1/r.csv', failing(), options)).rejects.toThrow('DynamoDB went away');
    expect(readdirSync(join(folder, '01K', '1'))).toEqual([]);
  });

  it('refuses unsafe keys', async () => {
    await expect(store.put('../escape.csv', chunks('x'), options)).rejects.toThrow(/unsafe/);
    await expect(store.downloadUrl('../escape.csv', 60)).rejects.toThrow(/unsafe/);
  });
});
