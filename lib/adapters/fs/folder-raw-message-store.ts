/**
 * RawMessageStore in a folder (local mode): each message is written under a temporary name
 * and renamed once complete, so a half-received message is never visible.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RawMessageStore } from '../../ports/raw-message-store.ts';
import { fileInFolder, readIfPresent } from './folder-files.ts';

const SAFE_KEY = /^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/;

/** {@link RawMessageStore} in a local folder. */
export class FolderRawMessageStore implements RawMessageStore {
  /** The folder, resolved. */
  readonly root: string;

  constructor(folder: string) {
    this.root = resolve(folder);
  }

  async put(key: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { bytes: (await stat(path)).size };
  }

  async get(key: string): Promise<Buffer | undefined> {
    return readIfPresent(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** The file of a key made of safe segments only, inside the folder. */
  private pathOf(key: string): string {
    return fileInFolder(this.root, key, SAFE_KEY.test(key), 'raw message');
  }
}
