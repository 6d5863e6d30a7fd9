/** What the folder-backed stores share: keys confined to their folder, and reads of files that may be gone. */
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/**
 * The file of `key` inside the folder `root` (already resolved). A key the store does not take
 * (`safe` false), or one that would resolve outside the folder, throws naming `what`.
 */
export function fileInFolder(root: string, key: string, safe: boolean, what: string): string {
  const path = safe ? resolve(join(root, key)) : '';
  if (!path.startsWith(root + sep)) throw new Error(`unsafe ${what} key: ${JSON.stringify(key)}`);
  return path;
}

/** A file's bytes, or undefined when there is no such file. */
export async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
