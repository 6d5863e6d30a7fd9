/**
 * A message's bodies packed: its text and html parts, the sender's own html beside a tracked
 * copy, and the descriptions of its attachments, as JSON compressed with raw DEFLATE (mail text
 * and HTML shrink two to six times). The messages table keeps them so (message-items.ts), and a
 * message's first delivery job carries them when they are small (CARRIED_BODIES_MAX_BYTES), so
 * that delivery need not read them back.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StoredAttachment } from './attachments.ts';
import type { MessageContent } from './message.ts';

/** The parts packBodies packs. */
export interface Bodies {
  text?: string;
  html?: string;
  sourceHtml?: string;
  attachments?: StoredAttachment[];
}

/**
 * Largest packed bodies a delivery job carries: well within a queue message (256 KB, billed per
 * 64 KB) and a schedule's input, and small enough that a batch of jobs costs little memory.
 */
export const CARRIED_BODIES_MAX_BYTES = 8 * 1024;

/** The packed bodies of `content`; undefined when it has neither a text nor an html part nor attachments. */
export function packBodies(content: MessageContent): Uint8Array | undefined {
  const { text, html, sourceHtml, attachments } = content;
  if (text === undefined && html === undefined && attachments === undefined) return undefined;
  // A sender's html beside its tracked copy costs little: DEFLATE finds the one in the other.
  return deflateRawSync(JSON.stringify({ text, html, sourceHtml, attachments }));
}

/** What packBodies packed; parts of the wrong type are left out. */
export function unpackBodies(packed: Uint8Array): Bodies {
  const parts = JSON.parse(inflateRawSync(packed).toString('utf8')) as Record<string, unknown>;
  return {
    ...(typeof parts.text === 'string' && { text: parts.text }),
    ...(typeof parts.html === 'string' && { html: parts.html }),
    ...(typeof parts.sourceHtml === 'string' && { sourceHtml: parts.sourceHtml }),
    ...(Array.isArray(parts.attachments) && { attachments: parts.attachments as StoredAttachment[] }),
  };
}
