/** Contact import jobs and import bodies in memory. */
import type { ContactImportJob, ImportFailure, ImportRef } from '../../../lib/domain/contact-import-job.ts';
import type { ContactImportStore, ImportCompletion, ImportResultLists, ImportStepRecord } from '../../../lib/ports/contact-import-store.ts';
import type { ImportBodyStore } from '../../../lib/ports/import-body-store.ts';

const keyOf = (ref: ImportRef) => `${ref.tenant}|${ref.listId}|${ref.id}`;

/** A {@link ContactImportStore} in memory, with the conditions of the DynamoDB store. */
export class MemoryContactImportStore implements ContactImportStore {
  readonly jobs = new Map<string, ContactImportJob>();
  /** Unsubscribed addresses recorded per job and step. */
  readonly steps = new Map<string, Map<number, string[]>>();
  readonly lists = new Map<string, Pick<ImportResultLists, 'failed' | 'duplicates'>>();

  async create(job: ContactImportJob): Promise<void> {
    if (this.jobs.has(keyOf(job))) throw new Error(`import ${job.id} exists`);
    this.jobs.set(keyOf(job), { ...job });
  }

  async get(ref: ImportRef): Promise<ContactImportJob | undefined> {
    const job = this.jobs.get(keyOf(ref));
    return job && { ...job };
  }

  async start(ref: ImportRef, at: string): Promise<ContactImportJob | undefined> {
    const job = this.jobs.get(keyOf(ref));
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return undefined;
    Object.assign(job, { state: 'running', updatedAt: at, startedAt: job.startedAt ?? at });
    return { ...job };
  }

  async recordStep(ref: ContactImportJob, record: ImportStepRecord): Promise<boolean> {
    const job = this.jobs.get(keyOf(ref));
    if (!job || job.state !== 'running' || job.stepsDone !== record.step) return false;
    Object.assign(job, {
      stepsDone: record.step + 1,
      rowsDone: record.rowsDone,
      imported: record.imported,
      failedCount: record.failedCount,
      unsubscribedCount: job.unsubscribedCount + record.unsubscribed.length,
      updatedAt: record.at,
    });
    const steps = this.steps.get(keyOf(ref)) ?? new Map<number, string[]>();
    if (record.unsubscribed.length) steps.set(record.step, [...record.unsubscribed]);
    this.steps.set(keyOf(ref), steps);
    return true;
  }

  async complete(ref: ContactImportJob, completion: ImportCompletion): Promise<boolean> {
    this.lists.set(keyOf(ref), { failed: completion.failed, duplicates: completion.duplicates });
    const job = this.jobs.get(keyOf(ref));
    if (!job || job.state !== 'running' || job.stepsDone !== completion.steps) return false;
    Object.assign(job, {
      state: 'completed',
      rowsDone: completion.rowsDone,
      imported: completion.imported,
      failedCount: completion.failedCount,
      updatedAt: completion.at,
      completedAt: completion.at,
    });
    return true;
  }

  async fail(ref: ImportRef, failure: ImportFailure, error: string, at: string): Promise<boolean> {
    const job = this.jobs.get(keyOf(ref));
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return false;
    Object.assign(job, { state: 'failed', failure, error, updatedAt: at });
    return true;
  }

  async results(ref: ImportRef): Promise<ImportResultLists> {
    const steps = [...(this.steps.get(keyOf(ref)) ?? new Map<number, string[]>())].sort(([a], [b]) => a - b);
    const lists = this.lists.get(keyOf(ref)) ?? { failed: [], duplicates: [] };
    return { ...lists, unsubscribed: steps.flatMap(([, emails]) => emails) };
  }
}

/** An {@link ImportBodyStore} in memory. */
export class MemoryImportBodyStore implements ImportBodyStore {
  readonly bodies = new Map<string, string>();

  async put(key: string, body: string): Promise<void> {
    this.bodies.set(key, body);
  }

  async get(key: string): Promise<string | undefined> {
    return this.bodies.get(key);
  }

  async delete(key: string): Promise<void> {
    this.bodies.delete(key);
  }
}
