/** Raw messages in memory. */
import type { RawMessageStore } from '../../../lib/ports/raw-message-store.ts';

/** A {@link RawMessageStore} in memory; an object exists only once all its chunks arrived. */
export class MemoryRawMessageStore implements RawMessageStore {
  readonly objects = new Map<string, Buffer>();

  async put(key: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number }> {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
    const bytes = Buffer.concat(parts);
    this.objects.set(key, bytes);
    return { bytes: bytes.length };
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.objects.get(key);
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
}
