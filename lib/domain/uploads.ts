/**
 * Uploads (POST /v1/attachments): files too large to send inline, which a client PUTs itself to
 * a URL made for it, then names in sends by id.
 */
import * as z from 'zod';
import { contentTypeProblem, MAX_UPLOAD_BYTES } from './attachments.ts';
import { ValidationError } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { filenameProblem } from './file-names.ts';

/** An upload: its file's name, type and size, and whose it is. */
export interface Upload {
  id: string;
  tenant: string;
  filename: string;
  /** As given when it was made; absent: the file name decides. */
  contentType?: string;
  /** Bytes the upload URL takes. */
  size: number;
  /** ISO time it was made. */
  createdAt: string;
}

/** `POST /v1/attachments` as JSON (the name and the media type are checked in parseUploadRequest). */
export const UPLOAD_REQUEST = z.strictObject({
  filename: z.string().describe('the name recipients see; sends may give another'),
  content_type: z.string().optional().describe('a media type; what the file name stands for when absent'),
  size: z
    .number()
    .int('must be a whole number of bytes')
    .min(0)
    .max(MAX_UPLOAD_BYTES, `at most ${MAX_UPLOAD_BYTES} bytes (28 MiB): larger files do not fit in a 40 MB message`)
    .describe('the file’s bytes: the upload URL takes exactly that many'),
});

/** An upload to make (POST /v1/attachments). */
export interface UploadRequest {
  filename: string;
  contentType?: string;
  /** Bytes the upload will have; the upload URL takes exactly that many. */
  size: number;
}

/** Validates the body of POST /v1/attachments. Throws ValidationError naming every offending field. */
export function parseUploadRequest(body: unknown): UploadRequest {
  const parsed = parseRequest(UPLOAD_REQUEST, body);
  const problems = parsed.success ? [] : zodProblems(parsed.error);
  if (parsed.success) {
    const name = filenameProblem(parsed.data.filename);
    if (name) problems.push({ field: 'filename', message: name });
    const type = parsed.data.content_type === undefined ? undefined : contentTypeProblem(parsed.data.content_type);
    if (type) problems.push({ field: 'content_type', message: type });
  }
  if (!parsed.success || problems.length) throw new ValidationError('The attachment is invalid.', problems);
  const { filename, content_type, size } = parsed.data;
  return { filename, ...(content_type !== undefined && { contentType: content_type }), size };
}
