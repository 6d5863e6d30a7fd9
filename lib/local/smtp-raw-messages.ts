/** Where local mode keeps messages submitted over SMTP: the data folder, or a temporary folder removed at stop. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderRawMessageStore } from '../adapters/fs/folder-raw-message-store.ts';

/** The local raw message store; undefined in memory mode without the SMTP service (nothing can need one). */
export async function localRawMessages(
  dataDir: string | undefined,
  smtp: boolean,
): Promise<{ store: FolderRawMessageStore; close(): Promise<void> } | undefined> {
  if (dataDir) return { store: new FolderRawMessageStore(join(dataDir, 'raw-messages')), close: async () => undefined };
  if (!smtp) return undefined;
  const folder = await mkdtemp(join(tmpdir(), 'mailroom-raw-'));
  return { store: new FolderRawMessageStore(folder), close: () => rm(folder, { recursive: true, force: true }) };
}
