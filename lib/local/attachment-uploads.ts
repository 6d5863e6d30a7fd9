/**
 * Local mode's stand-in for the attachments in S3: their bytes in the data folder (under
 * `attachments/`, files older than the messages' retention removed at start, as the bucket's
 * lifecycle rule does), and the HTTP route that takes uploads sent to signed, expiring links.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderAttachmentStore } from '../adapters/fs/folder-attachment-store.ts';
import { UPLOAD_PREFIX } from '../adapters/fs/upload-links.ts';
import { errorDocument } from '../domain/errors.ts';
import { ATTACHMENT_PREFIX } from '../ports/attachment-store.ts';
import { localUploadLinkKey } from './key-secrets.ts';

/** The attachments of a local runtime. */
export interface LocalAttachments {
  store: FolderAttachmentStore;
  /** Points the upload links at the HTTP server once it listens. */
  setBaseUrl(url: string): void;
  /** Removes the folder when it was a temporary one (no data folder). */
  close(): Promise<void>;
}

/** Removes files under `folder` last changed before `cutoff` (epoch ms), and folders left empty. */
function removeOlder(folder: string, cutoff: number): void {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    const info = statSync(path);
    if (info.isDirectory()) {
      removeOlder(path, cutoff);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true, force: true });
    } else if (info.mtimeMs < cutoff) rmSync(path, { force: true });
  }
}

/** Attachments under `<dataDir>/attachments` (those older than `retentionDays` removed), or in a temporary folder removed on close. */
export function localAttachments(dataDir: string | undefined, retentionDays: number): LocalAttachments {
  const folder = dataDir ?? mkdtempSync(join(tmpdir(), 'mailroom-attachments-'));
  const own = join(folder, ATTACHMENT_PREFIX);
  if (dataDir) {
    try {
      removeOlder(own, Date.now() - retentionDays * 86_400_000);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  let baseUrl = 'http://127.0.0.1';
  const store = new FolderAttachmentStore({ folder, secret: localUploadLinkKey(dataDir), baseUrl: () => baseUrl });
  return {
    store,
    setBaseUrl: (url) => void (baseUrl = url),
    close: async () => {
      if (!dataDir) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function answer(res: ServerResponse, status: number, code?: string, message?: string): void {
  const body = code && message ? JSON.stringify(errorDocument({ code, message })) : '';
  res.writeHead(status, { ...(body && { 'content-type': 'application/json' }), 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Takes `PUT /local/uploads/<key>?expires=…&size=…&signature=…`: 200 once stored, as S3 answers a presigned PUT. */
export async function serveUpload(req: IncomingMessage, res: ServerResponse, store: FolderAttachmentStore): Promise<void> {
  if (req.method !== 'PUT') return answer(res, 405, 'method_not_allowed', 'Upload links take PUT.');
  const url = new URL(req.url ?? '/', 'http://localhost');
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(UPLOAD_PREFIX.length));
  } catch {
    return answer(res, 404, 'not_found', 'No such upload link.');
  }
  const query = {
    expires: url.searchParams.get('expires'),
    size: url.searchParams.get('size'),
    signature: url.searchParams.get('signature'),
  };
  const outcome = await store.receive(key, query, req.headers['content-length'], req);
  switch (outcome) {
    case 'stored':
      return answer(res, 200);
    case 'malformed':
      return answer(res, 404, 'not_found', 'No such upload link.');
    case 'expired':
      return answer(res, 403, 'link_expired', 'This upload link has expired; POST /v1/attachments makes a new one.');
    case 'bad_signature':
      return answer(res, 403, 'forbidden', 'This upload link is not valid.');
    case 'wrong_size':
      return answer(res, 400, 'wrong_size', `Send exactly the ${query.size} bytes this link was made for, with that Content-Length.`);
  }
}
