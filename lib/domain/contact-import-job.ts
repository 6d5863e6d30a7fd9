/**
 * Contact import jobs: an import too large to run within its request is stored, queued and
 * run by the import function, step by step; the job record tells how far it got and, once
 * completed, holds the same result the API answers for a small import.
 */
import * as z from 'zod';
import { MailroomError } from './errors.ts';
import type { ImportFormat } from './import-plan.ts';

export const IMPORT_STATES = ['queued', 'running', 'completed', 'failed'] as const;
/** `queued` until a run starts it, `running` while steps are written, then `completed` or `failed`. */
export type ImportState = (typeof IMPORT_STATES)[number];

/** Why a job failed: its list was deleted, or mailroom gave up on it (retries spent, body gone). */
export type ImportFailure = 'list_deleted' | 'gave_up';

/** Names one import of one list of a tenant. */
export interface ImportRef {
  tenant: string;
  listId: string;
  /** mailroom id (ULID). */
  id: string;
}

/** The job record of one import. */
export interface ContactImportJob extends ImportRef {
  format: ImportFormat;
  state: ImportState;
  /** Rows in the body. */
  rowsTotal: number;
  /** Rows accounted for so far: bad rows and superseded ones, and the rows of the contacts written. */
  rowsDone: number;
  /** Contacts written so far (all of them once `completed`). */
  imported: number;
  /** Bad rows (known once a run has read the body). */
  failedCount: number;
  /** Contacts written whose owner unsubscribed, so far. */
  unsubscribedCount: number;
  /** Contacts per step, fixed when the job is made, so that every run cuts the same steps. */
  stepSize: number;
  /** Steps written and recorded: a run goes on from here. */
  stepsDone: number;
  /** Storage key of the body, as the request sent it. */
  bodyKey: string;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  completedAt?: string;
  failure?: ImportFailure;
  /** Why the job failed, for operators (never shown to callers). */
  error?: string;
  /** ISO time after which the job is gone. */
  expiresAt: string;
}

/** The unit of work on the import queue. It names a job; everything else is in the record. */
export interface ImportTask {
  v: 1;
  tenant: string;
  listId: string;
  importId: string;
}

const TASK = z.object({
  v: z.literal(1),
  tenant: z.string().min(1).max(128),
  listId: z.string().min(1).max(64),
  importId: z.string().min(1).max(64),
});

/** Parses a queue message body; undefined when it is not an import task. */
export function parseImportTask(body: string): ImportTask | undefined {
  try {
    const parsed = TASK.safeParse(JSON.parse(body));
    return parsed.success ? (parsed.data as ImportTask) : undefined;
  } catch {
    return undefined;
  }
}

/** The task that runs a job. */
export function importTask(ref: ImportRef): ImportTask {
  return { v: 1, tenant: ref.tenant, listId: ref.listId, importId: ref.id };
}

/** The job a task names. */
export function taskRef(task: ImportTask): ImportRef {
  return { tenant: task.tenant, listId: task.listId, id: task.importId };
}

/** Where a job's body is stored: `<id>.csv` or `<id>.json` (ids are ULIDs, so the key is safe as a path too). */
export function importBodyKey(id: string, format: ImportFormat): string {
  return `${id}.${format}`;
}

/** 404: no such import of this list for this tenant (another tenant's is also "not found"). */
export class ImportNotFoundError extends MailroomError {
  constructor() {
    super(404, 'import_not_found', 'Import not found.');
  }
}

/** Whether `value` can name an import or a list: both are ULIDs. */
export function isImportId(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
