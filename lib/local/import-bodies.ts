/**
 * Where local mode keeps the bodies of contact imports until the import function has written
 * them (what the import bucket holds in AWS): `<dataDir>/imports`, or a temporary folder
 * removed at stop. Bodies older than their retention are removed at start, as the bucket's
 * lifecycle rule removes them in AWS.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderImportBodyStore } from '../adapters/fs/folder-import-body-store.ts';
import { IMPORT_RETENTION_DAYS } from '../topology.ts';

/** The local import body store. */
export function localImportBodies(dataDir?: string): { store: FolderImportBodyStore; close(): Promise<void> } {
  const folder = dataDir ? join(dataDir, 'imports') : mkdtempSync(join(tmpdir(), 'mailroom-imports-'));
  mkdirSync(folder, { recursive: true });
  const cutoff = Date.now() - IMPORT_RETENTION_DAYS * 86_400_000;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
  }
  return {
    store: new FolderImportBodyStore(folder),
    close: async () => {
      if (!dataDir) rmSync(folder, { recursive: true, force: true });
    },
  };
}
