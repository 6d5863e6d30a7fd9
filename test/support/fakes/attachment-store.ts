/** Attachment bytes and upload records in memory. */
import type { Upload } from '../../../lib/domain/uploads.ts';
import type { AttachmentStore } from '../../../lib/ports/attachment-store.ts';
import type { UploadStore } from '../../../lib/ports/upload-store.ts';

/** An {@link AttachmentStore} in memory; upload URLs are `memory://<key>?size=<size>&expires=<seconds>`. */
export class MemoryAttachmentStore implements AttachmentStore {
  readonly objects = new Map<string, { bytes: Buffer; contentType?: string }>();

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { bytes: Buffer.from(bytes), contentType });
  }

  async uploadUrl(key: string, size: number, expiresSeconds: number): Promise<string> {
    return `memory://${key}?size=${size}&expires=${expiresSeconds}`;
  }

  /** What a client's PUT to an upload URL does. */
  upload(key: string, bytes: Uint8Array): void {
    this.objects.set(key, { bytes: Buffer.from(bytes) });
  }

  async size(key: string): Promise<number | undefined> {
    return this.objects.get(key)?.bytes.length;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.objects.get(key)?.bytes;
  }
}

/** An {@link UploadStore} in memory. */
export class MemoryUploadStore implements UploadStore {
  readonly uploads = new Map<string, Upload>();

  async put(upload: Upload): Promise<void> {
    this.uploads.set(`${upload.tenant}#${upload.id}`, upload);
  }

  async get(tenant: string, id: string): Promise<Upload | undefined> {
    return this.uploads.get(`${tenant}#${id}`);
  }
}
