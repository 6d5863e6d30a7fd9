/**
 * Splits DATA into the header block (parsed for the record, dropped fields left out) and the rest,
 * which is handed on chunk by chunk as it arrives.
 */
import { UnprocessableError } from '../domain/errors.ts';
import type { SubmittedHeaders } from '../use-cases/accept-submission.ts';
import type { DataFeed } from './data-feed.ts';
import { headerBlockEnd, headerBlockProblem, MAX_HEADER_BYTES, withoutDroppedFields } from './header-block.ts';
import { parseSubmittedHeaders } from './submitted-headers.ts';

/** A submitted message whose header block has arrived. */
export interface SubmissionStart {
  headers: SubmittedHeaders;
  /** The whole message to store: the header block without the dropped fields (Bcc, X-SES-*…), then every byte after it. */
  content: AsyncIterable<Buffer>;
}

/**
 * Reads until the header block is complete.
 * @throws UnprocessableError when the header block is longer than MAX_HEADER_BYTES or breaks a rule of
 *   headerBlockProblem, or the feed's error.
 */
export async function readSubmission(feed: DataFeed): Promise<SubmissionStart> {
  const chunks = feed[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let end = -1;
  let ended = false;
  while (end === -1) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, next.value]);
    end = headerBlockEnd(head);
    if (end === -1 && head.length > MAX_HEADER_BYTES) {
      await chunks.return(undefined);
      throw new UnprocessableError('invalid_message', `The header block is longer than ${MAX_HEADER_BYTES} bytes.`);
    }
  }
  const block = end === -1 ? head : head.subarray(0, end);
  const tail = end === -1 ? Buffer.alloc(0) : head.subarray(end);
  let headers: SubmittedHeaders;
  try {
    const problem = headerBlockProblem(block);
    if (problem) throw new UnprocessableError('invalid_message', problem);
    headers = await parseSubmittedHeaders(block);
  } catch (error) {
    await chunks.return(undefined);
    throw error;
  }
  async function* content(): AsyncGenerator<Buffer> {
    try {
      yield withoutDroppedFields(block);
      if (tail.length) yield tail;
      if (ended) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      await chunks.return(undefined);
    }
  }
  return { headers, content: content() };
}
