/** Answers of the attachment routes, and the files a message lists. */
import * as z from 'zod';
import { TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** `201` for `POST /v1/attachments`: where to PUT the file's bytes, and until when. */
export const UPLOAD = named(
  'Upload',
  z.strictObject({
    id: z.string().describe('send the file with `"attachments": [{"attachment_id": id}]` once its bytes are PUT'),
    upload_url: z
      .string()
      .describe(
        'PUT exactly `size` bytes here, with that Content-Length, before `expires_at` (a presigned S3 URL in AWS, a signed local URL in local mode); no API key',
      ),
    expires_at: TIMESTAMP.describe('when upload_url stops taking bytes'),
    filename: z.string(),
    content_type: z.string().describe('as given, else what the file name stands for'),
    size: z.int().min(0).describe('bytes the upload URL takes'),
  }),
);

/** A file of a message, as reading the message lists it (not its bytes). */
export const MESSAGE_ATTACHMENT = named(
  'MessageAttachment',
  z.strictObject({
    filename: z.string(),
    content_type: z.string(),
    size: z.int().min(0).describe('bytes, decoded'),
    disposition: z.enum(['attachment', 'inline']),
    content_id: z.string().optional().describe('an inline part the html refers to as `cid:<content_id>`'),
  }),
);
