/**
 * The bytes of attachments, kept apart from the message records (S3 in AWS, a folder in local
 * mode): files given inline in a send, stored at acceptance, and files clients upload
 * themselves through a URL made for them. Delivery reads them back to compose the message.
 */
export interface AttachmentStore {
  /** Stores `bytes` under `key`, replacing what is there (a retried request writes the same bytes again). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /**
   * A URL that stores exactly `size` bytes sent to it with an HTTP PUT under `key`, without
   * further credentials, until `expiresSeconds` from now.
   */
  uploadUrl(key: string, size: number, expiresSeconds: number): Promise<string>;
  /** Bytes stored under `key`; undefined when there is nothing (a file never uploaded, or expired). */
  size(key: string): Promise<number | undefined>;
  /** The stored bytes; undefined when there are none. */
  get(key: string): Promise<Buffer | undefined>;
}

/** Every attachment's key starts with this: the bucket's lifecycle and the grants cover it. */
export const ATTACHMENT_PREFIX = 'attachments/';

/** Key of an upload's bytes: one per tenant and upload id. */
export function uploadKey(tenant: string, uploadId: string): string {
  return `${ATTACHMENT_PREFIX}${tenant}/uploads/${uploadId}`;
}

/** Key of the bytes of the `index`-th attachment of a message, given inline. */
export function contentKey(tenant: string, messageId: string, index: number): string {
  return `${ATTACHMENT_PREFIX}${tenant}/${messageId}/${index}`;
}
