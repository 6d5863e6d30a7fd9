/**
 * AttachmentStore in a folder, for local mode: files are written under a temporary name and
 * renamed once complete, and uploads go through signed, expiring links that the local HTTP
 * server checks (lib/local/attachment-uploads.ts), taking exactly the bytes the link was made for.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemClock, type Clock } from '../../ports/clock.ts';
import { ATTACHMENT_PREFIX, type AttachmentStore } from '../../ports/attachment-store.ts';
import { fileInFolder, readIfPresent } from './folder-files.ts';
import { checkUploadLink, signedUploadPath, type UploadQuery } from './upload-links.ts';
import { isSafeKey, type LinkProblem } from './url-signature.ts';

/** Options of {@link FolderAttachmentStore}. */
export interface FolderAttachmentStoreOptions {
  /** The folder; keys (`attachments/…`) are paths inside it. */
  folder: string;
  /** HMAC key of the upload links (at least 32 random bytes). */
  secret: Buffer;
  /** Base URL of the server that takes the uploads, e.g. `http://127.0.0.1:3000` (known once it listens). */
  baseUrl: () => string;
  clock?: Clock;
}

/** What became of an upload sent to a link. */
export type UploadOutcome = 'stored' | LinkProblem | 'wrong_size';

/** {@link AttachmentStore} in a local folder. */
export class FolderAttachmentStore implements AttachmentStore {
  readonly root: string;
  private readonly clock: Clock;

  constructor(private readonly options: FolderAttachmentStoreOptions) {
    if (options.secret.length < 32) throw new Error('the upload-link secret must have at least 32 bytes');
    this.root = resolve(options.folder);
    this.clock = options.clock ?? systemClock;
  }

  async put(key: string, bytes: Uint8Array, _contentType?: string): Promise<void> {
    await this.write(key, async (partial) => writeFile(partial, bytes, { mode: 0o600 }));
  }

  async uploadUrl(key: string, size: number, expiresSeconds: number): Promise<string> {
    this.pathOf(key);
    const expires = Math.floor(this.clock.now().getTime() / 1000) + Math.max(1, Math.floor(expiresSeconds));
    return `${this.options.baseUrl()}${signedUploadPath(this.options.secret, key, expires, size)}`;
  }

  async size(key: string): Promise<number | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? info.size : undefined;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readIfPresent(this.pathOf(key));
  }

  /**
   * Takes an upload sent to a link: stored when the link is good and the body has exactly the
   * size it was made for (`declared` is the request's Content-Length, which must say so too, as
   * S3 requires of a presigned PUT that signs it).
   */
  async receive(key: string, query: UploadQuery, declared: string | undefined, body: AsyncIterable<Uint8Array>): Promise<UploadOutcome> {
    const problem = checkUploadLink(this.options.secret, key, query, this.clock.now().getTime() / 1000);
    if (problem) return problem;
    if (!key.startsWith(ATTACHMENT_PREFIX)) return 'malformed';
    const size = Number(query.size);
    if (declared !== String(size)) return 'wrong_size';
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > size ? new Error('upload larger than its link allows') : null, chunk);
      },
    });
    try {
      await this.write(key, async (partial) => {
        await pipeline(Readable.from(body), counted, createWriteStream(partial, { mode: 0o600 }));
        if (received !== size) throw new Error('upload shorter than its link says');
      });
    } catch {
      return 'wrong_size';
    }
    return 'stored';
  }

  /** Writes a file under a temporary name with `fill`, then renames it into place. */
  private async write(key: string, fill: (partial: string) => Promise<void>): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await fill(partial);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** The file of an attachment key made of safe segments, inside the folder. */
  private pathOf(key: string): string {
    return fileInFolder(this.root, key, key.startsWith(ATTACHMENT_PREFIX) && isSafeKey(key), 'attachment');
  }
}
