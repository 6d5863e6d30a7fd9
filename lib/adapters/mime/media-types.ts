/** Media types of file names, from nodemailer's own table (the one it labels attachments with). */
import { detectMimeType } from 'nodemailer/lib/mime-funcs';

/** The media type a file name stands for (`report.pdf`: application/pdf); application/octet-stream when unknown. */
export function mediaTypeOf(filename: string): string {
  return detectMimeType(filename);
}
