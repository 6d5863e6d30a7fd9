/**
 * Export jobs through the API: `POST /v1/exports` records a job and queues it, `GET
 * /v1/exports/{id}` tells its status and, once done, hands out a download link.
 */
import { NotFoundError, ServiceUnavailableError } from '../domain/errors.ts';
import type { ExportJob } from '../domain/export-job.ts';
import { parseExportRequest } from '../domain/export-request.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExportQueue } from '../ports/export-queue.ts';
import type { ExportStore } from '../ports/export-store.ts';
import type { Log } from '../ports/logger.ts';

/** How long a download link works, in seconds. */
export const DOWNLOAD_URL_SECONDS = 3600;

export interface ExportApiDeps {
  exports: ExportStore;
  exportQueue: ExportQueue;
  blobs: BlobStore;
  clock: Clock;
  newId: () => string;
  log: Log;
  /** Days a job and its file are kept. */
  exportRetentionDays: number;
}

/** Records an export job and queues it. Answers `{id, status: "queued"}`. */
export async function createExport(deps: ExportApiDeps, tenant: string, body: unknown): Promise<{ id: string; status: 'queued' }> {
  const request = parseExportRequest(body);
  const now = deps.clock.now();
  const job: ExportJob = {
    id: deps.newId(),
    tenant,
    ...request,
    status: 'queued',
    rowCount: 0,
    attempts: 0,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.exportRetentionDays * 86_400_000).toISOString(),
  };
  await deps.exports.create(job);
  try {
    await deps.exportQueue.enqueue({ v: 1, exportId: job.id, tenant });
  } catch (error) {
    // Nothing will ever run it: say so on the record rather than leave it queued forever.
    await deps.exports.fail(job.id, 'could not be queued', deps.clock.now().toISOString()).catch(() => undefined);
    deps.log.error('export not queued', { exportId: job.id, error: String(error) });
    throw new ServiceUnavailableError('mailroom could not queue the export; retry later.', { cause: error });
  }
  deps.log.info('export queued', { exportId: job.id, tenant, type: job.type });
  return { id: job.id, status: 'queued' };
}

/** The API's view of an export. Another tenant's export, or one past its retention, is "not found". */
export async function getExport(deps: ExportApiDeps, tenant: string, id: string) {
  const job = /^[0-9A-Za-z]{1,64}$/.test(id) ? await deps.exports.get(id) : undefined;
  const now = deps.clock.now();
  // TTL deletes up to days late; the file is gone by then, so the job is too.
  if (!job || job.tenant !== tenant || Date.parse(job.expiresAt) <= now.getTime()) throw new NotFoundError('Export');
  const view = {
    id: job.id,
    type: job.type,
    from: job.from,
    to: job.to,
    status: job.status,
    row_count: job.rowCount,
    created_at: job.createdAt,
    ...(job.startedAt && { started_at: job.startedAt }),
    ...(job.finishedAt && { finished_at: job.finishedAt }),
  };
  if (job.status !== 'done' || !job.objectKey) return view;
  // A fresh link on every read, never outliving the file.
  const seconds = Math.max(1, Math.min(DOWNLOAD_URL_SECONDS, Math.floor((Date.parse(job.expiresAt) - now.getTime()) / 1000)));
  return {
    ...view,
    download_url: await deps.blobs.downloadUrl(job.objectKey, seconds),
    expires_at: new Date(now.getTime() + seconds * 1000).toISOString(),
  };
}
