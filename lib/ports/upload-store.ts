import type { Upload } from '../domain/uploads.ts';

/** The records of uploads (POST /v1/attachments): which tenant made them, for which file. Their bytes are in the AttachmentStore. */
export interface UploadStore {
  /** Stores the record, replacing one of the same tenant and id (a retried request makes the same one). */
  put(upload: Upload): Promise<void>;
  /** The tenant's upload of that id; undefined when there is none (another tenant's is none). */
  get(tenant: string, id: string): Promise<Upload | undefined>;
}
