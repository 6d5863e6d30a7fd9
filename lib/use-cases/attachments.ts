/**
 * Attachments: uploads made for clients (POST /v1/attachments), the files of a send stored
 * apart from its record (its inline bytes written, its uploads checked), and their bytes read
 * back for delivery.
 */
import {
  AttachmentRefusedError,
  composedSizeEstimate,
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  type AttachmentRequest,
  type StoredAttachment,
} from '../domain/attachments.ts';
import { PoisonMessageError, UnprocessableError } from '../domain/errors.ts';
import type { MessageRecord } from '../domain/message.ts';
import type { SendRequest } from '../domain/send-request.ts';
import { parseUploadRequest } from '../domain/uploads.ts';
import { contentKey, uploadKey, type AttachmentStore } from '../ports/attachment-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { OutgoingAttachment } from '../ports/mail-relay.ts';
import type { UploadStore } from '../ports/upload-store.ts';
import type { RequestIds } from './idempotent.ts';

/** How long an upload URL takes bytes. Short, since the signing credentials of a function may expire sooner than it. */
export const UPLOAD_URL_SECONDS = 900;

/** What attachments need: where their bytes and the upload records are, and how files are typed. */
export interface AttachmentDeps {
  store: AttachmentStore;
  uploads: UploadStore;
  /** The media type a file name stands for (`report.pdf`: application/pdf), for attachments given without one. */
  contentTypeOf: (filename: string) => string;
  /** How long after it is made an upload may be sent: its bytes must outlive every retry of the message. */
  uploadUsableMs: number;
}

/** The answer to POST /v1/attachments. */
export interface UploadAnswer {
  id: string;
  upload_url: string;
  expires_at: string;
  filename: string;
  content_type: string;
  size: number;
}

/**
 * Makes an upload for a tenant: its record, and a URL that takes exactly its bytes by PUT for
 * UPLOAD_URL_SECONDS. `ids(0)`, when given, is its id (the same for every try of an idempotent request).
 */
export async function createUpload(
  deps: { attachments: AttachmentDeps; clock: Clock; newId: () => string },
  tenant: string,
  body: unknown,
  ids?: RequestIds,
): Promise<UploadAnswer> {
  const request = parseUploadRequest(body);
  const id = ids ? ids(0) : deps.newId();
  const now = deps.clock.now();
  await deps.attachments.uploads.put({ id, tenant, ...request, createdAt: now.toISOString() });
  const url = await deps.attachments.store.uploadUrl(uploadKey(tenant, id), request.size, UPLOAD_URL_SECONDS);
  return {
    id,
    upload_url: url,
    expires_at: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    filename: request.filename,
    content_type: request.contentType ?? deps.attachments.contentTypeOf(request.filename),
    size: request.size,
  };
}

type Resolved = Omit<StoredAttachment, 'key'> & { key?: string; content?: Uint8Array };

/** An upload named by a send, checked: this tenant's, uploaded, not too old. */
async function resolveUpload(
  deps: AttachmentDeps,
  clock: Clock,
  tenant: string,
  request: Extract<AttachmentRequest, { source: 'upload' }>,
  index: number,
): Promise<Resolved> {
  const field = `attachments[${index}].attachment_id`;
  const upload = await deps.uploads.get(tenant, request.uploadId);
  if (!upload) {
    throw new AttachmentRefusedError('attachment_not_found', `Attachment ${request.uploadId} is not an upload of this account.`, {
      field,
      message: 'no such upload (POST /v1/attachments makes one)',
    });
  }
  if (Date.parse(upload.createdAt) + deps.uploadUsableMs < clock.now().getTime()) {
    throw new AttachmentRefusedError('attachment_expired', `Attachment ${request.uploadId} was uploaded too long ago to be sent.`, {
      field,
      message: 'was made too long ago: its file would expire before delivery ends; upload it again',
    });
  }
  const key = uploadKey(tenant, upload.id);
  if ((await deps.store.size(key)) !== upload.size) {
    throw new AttachmentRefusedError('attachment_not_uploaded', `Attachment ${request.uploadId} has no file yet.`, {
      field,
      message: `its file was never uploaded: PUT its ${upload.size} bytes to the upload_url POST /v1/attachments answered, then send`,
    });
  }
  const filename = request.filename ?? upload.filename;
  const contentType = request.contentType ?? upload.contentType ?? deps.contentTypeOf(filename);
  return { key, filename, contentType, size: upload.size, ...labels(request) };
}

const labels = (request: AttachmentRequest) => ({
  disposition: request.disposition,
  ...(request.contentId !== undefined && { contentId: request.contentId }),
});

/**
 * Stores the attachments of message `messageId` and answers what its record keeps of them;
 * undefined when it has none. Uploads are checked first (400 naming the attachment), then the
 * size of the message once composed (413), and only then are inline bytes written: under keys
 * made from the message id, so that a retry of an idempotent request writes the same files again.
 */
export async function storeAttachments(
  deps: { attachments?: AttachmentDeps; clock: Clock },
  tenant: string,
  messageId: string,
  request: SendRequest,
): Promise<StoredAttachment[] | undefined> {
  const requested = request.attachments;
  if (!requested?.length) return undefined;
  const attachments = deps.attachments;
  if (!attachments) throw new UnprocessableError('attachments_unavailable', 'This service takes no attachments.');
  const resolved = await Promise.all(
    requested.map((r, index): Promise<Resolved> | Resolved =>
      r.source === 'upload'
        ? resolveUpload(attachments, deps.clock, tenant, r, index)
        : {
            filename: r.filename,
            contentType: r.contentType ?? attachments.contentTypeOf(r.filename),
            size: r.content.byteLength,
            content: r.content,
            ...labels(r),
          },
    ),
  );
  const { text, html } = request.content;
  const bodyBytes = Buffer.byteLength(text ?? '') + Buffer.byteLength(html ?? '');
  const estimate = composedSizeEstimate(
    bodyBytes,
    resolved.map((r) => r.size),
  );
  if (estimate > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(estimate);
  return Promise.all(
    resolved.map(async ({ content, ...attachment }, index) => {
      if (!content) return attachment as StoredAttachment;
      const key = contentKey(tenant, messageId, index);
      await attachments.store.put(key, content, attachment.contentType);
      return { ...attachment, key };
    }),
  );
}

/**
 * The attachments of a message with their bytes, for composing it. A store that fails throws
 * (the job comes back later); bytes that are gone can never be sent (PoisonMessageError).
 */
export async function loadAttachments(
  store: Pick<AttachmentStore, 'get'> | undefined,
  message: MessageRecord,
): Promise<OutgoingAttachment[]> {
  const attachments = message.content.attachments ?? [];
  if (attachments.length === 0) return [];
  if (!store) throw new PoisonMessageError(`message ${message.id} has attachments, but no attachment store is configured`);
  return Promise.all(
    attachments.map(async ({ key, size: _size, ...labels }) => {
      const content = await store.get(key);
      if (!content)
        throw new PoisonMessageError(`message ${message.id} cannot be sent: the bytes of its attachment ${labels.filename} are gone`);
      return { ...labels, content };
    }),
  );
}
