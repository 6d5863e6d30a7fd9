/**
 * BlobStore in a folder, for local mode: files are written under a temporary name and renamed
 * once complete, and downloads go through signed, expiring links that the local HTTP server
 * checks (lib/local/export-downloads.ts) — never a bare file path.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { BlobStore, PutBlobOptions } from '../../ports/blob-store.ts';
import { checkLink, isSafeKey, signedPath, type LinkProblem } from './url-signature.ts';

/** Options of {@link FolderBlobStore}. */
export interface FolderBlobStoreOptions {
  folder: string;
  /** HMAC key of the download links (at least 32 random bytes). */
  secret: Buffer;
  /** Base URL of the server that serves the links, e.g. `http://127.0.0.1:3000` (known once it listens). */
  baseUrl: () => string;
  clock?: Clock;
}

/** A file a good link points at. */
export interface LocalDownload {
  path: string;
  size: number;
  fileName: string;
  contentType: string;
}

/** {@link BlobStore} in a local folder. */
export class FolderBlobStore implements BlobStore {
  private readonly root: string;
  private readonly clock: Clock;

  constructor(private readonly options: FolderBlobStoreOptions) {
    if (options.secret.length < 32) throw new Error('the download-link secret must have at least 32 bytes');
    this.root = resolve(options.folder);
    this.clock = options.clock ?? systemClock;
  }

  async put(key: string, chunks: AsyncIterable<Uint8Array | string>, _options: PutBlobOptions): Promise<{ bytes: number }> {
    const path = this.pathOf(key);
    if (!path) throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(Readable.from(chunks), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { bytes: (await stat(path)).size };
  }

  async downloadUrl(key: string, expiresSeconds: number): Promise<string> {
    if (!isSafeKey(key)) throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
    const expires = Math.floor(this.clock.now().getTime() / 1000) + Math.max(1, Math.floor(expiresSeconds));
    return `${this.options.baseUrl()}${signedPath(this.options.secret, key, expires)}`;
  }

  /** The file a download link names, or why it is refused (`not_found` when the link is good but the file is gone). */
  async open(key: string, expires: string | null, signature: string | null): Promise<LocalDownload | LinkProblem | 'not_found'> {
    const problem = checkLink(this.options.secret, key, expires, signature, this.clock.now().getTime() / 1000);
    if (problem) return problem;
    const path = this.pathOf(key);
    if (!path) return 'malformed';
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return 'not_found';
    const fileName = basename(path);
    const contentType = fileName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream';
    return { path, size: info.size, fileName, contentType };
  }

  /** The file's path, only for a safe key that stays inside the folder. */
  private pathOf(key: string): string | undefined {
    if (!isSafeKey(key)) return undefined;
    const path = resolve(join(this.root, key));
    return path.startsWith(this.root + sep) ? path : undefined;
  }
}
