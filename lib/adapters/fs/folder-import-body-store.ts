/**
 * ImportBodyStore in a folder (local mode): each body is written under a temporary name and
 * renamed once complete, so that a half-written body is never read.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImportBodyStore } from '../../ports/import-body-store.ts';
import { fileInFolder, readIfPresent } from './folder-files.ts';

const SAFE_KEY = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** {@link ImportBodyStore} in a local folder. */
export class FolderImportBodyStore implements ImportBodyStore {
  /** The folder, resolved. */
  readonly root: string;

  constructor(folder: string) {
    this.root = resolve(folder);
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(this.root, { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(partial, body, { encoding: 'utf8', mode: 0o600 });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await readIfPresent(this.pathOf(key)))?.toString('utf8');
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** The file of a key that names a file directly in the folder (no separators, no `..`). */
  private pathOf(key: string): string {
    return fileInFolder(this.root, key, SAFE_KEY.test(key), 'import body');
  }
}
