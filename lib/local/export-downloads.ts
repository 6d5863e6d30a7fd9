/**
 * Local mode's stand-in for S3 presigned URLs: the folder of export files, the secret that
 * signs their links (generated once, kept in the data folder), and the HTTP route that
 * serves a file only for a good, unexpired link.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FolderBlobStore } from '../adapters/fs/folder-blob-store.ts';
import { DOWNLOAD_PREFIX } from '../adapters/fs/url-signature.ts';
import { errorDocument } from '../domain/errors.ts';
import { EXPORT_RETENTION_DAYS } from '../topology.ts';

/** The export files of a local runtime. */
export interface LocalExports {
  store: FolderBlobStore;
  /** Points the links at the HTTP server once it listens. */
  setBaseUrl(url: string): void;
  /** Removes the folder when it was a temporary one (no data folder). */
  close(): Promise<void>;
}

/** The signing secret: kept in the data folder so links survive a restart; random per run without one. */
function secret(dataDir?: string): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'exports-link-key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600 });
  return key;
}

/** Removes exports older than their retention (what the bucket's lifecycle rule does in AWS). */
function removeExpired(folder: string): void {
  const cutoff = Date.now() - EXPORT_RETENTION_DAYS * 86_400_000;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}

/** Export files under `<dataDir>/exports` (expired ones removed at start), or in a temporary folder removed on close. */
export function localExports(dataDir?: string): LocalExports {
  const folder = dataDir ? join(dataDir, 'exports') : mkdtempSync(join(tmpdir(), 'mailroom-exports-'));
  mkdirSync(folder, { recursive: true });
  removeExpired(folder);
  let baseUrl = 'http://127.0.0.1';
  const store = new FolderBlobStore({ folder, secret: secret(dataDir), baseUrl: () => baseUrl });
  return {
    store,
    setBaseUrl: (url) => void (baseUrl = url),
    close: async () => {
      if (!dataDir) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify(errorDocument({ code, message }));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Serves `GET /local/exports/<key>?expires=…&signature=…`. */
export async function serveExportDownload(req: IncomingMessage, res: ServerResponse, store: FolderBlobStore | undefined): Promise<void> {
  if (!store) return refuse(res, 404, 'not_found', 'Exports are off.');
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method_not_allowed', 'Use GET on download links.');
  const url = new URL(req.url ?? '/', 'http://localhost');
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(DOWNLOAD_PREFIX.length));
  } catch {
    return refuse(res, 404, 'not_found', 'No such file.');
  }
  const found = await store.open(key, url.searchParams.get('expires'), url.searchParams.get('signature'));
  if (found === 'not_found' || found === 'malformed') return refuse(res, 404, 'not_found', 'No such file.');
  if (found === 'expired')
    return refuse(res, 403, 'link_expired', 'This download link has expired; ask GET /v1/exports/{id} for a new one.');
  if (found === 'bad_signature') return refuse(res, 403, 'forbidden', 'This download link is not valid.');
  res.writeHead(200, {
    'content-type': found.contentType,
    'content-length': String(found.size),
    'content-disposition': `attachment; filename="${found.fileName}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(found.path), res);
}
