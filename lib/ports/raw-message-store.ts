/**
 * Messages submitted over SMTP, kept byte for byte as they will be relayed (S3 in AWS, a
 * folder in local mode). The record in the message store points at them (`MessageRecord.raw`).
 */
export interface RawMessageStore {
  /**
   * Stores the chunks under `key` as they arrive, without holding the whole message, and
   * returns its size. The object exists only once complete: when the chunks fail (the client
   * went away, the message grew too large) the write is abandoned and nothing is left.
   */
  put(key: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number }>;
  /** The stored bytes; undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes the object; nothing happens when it is already gone. */
  delete(key: string): Promise<void>;
}

/** Every raw message's key starts with this: the grants of the SMTP service cover it. */
export const RAW_MESSAGE_PREFIX = 'smtp/';

/** Key of a message's raw object: one per message id. */
export function rawMessageKey(messageId: string): string {
  return `${RAW_MESSAGE_PREFIX}${messageId}.eml`;
}
