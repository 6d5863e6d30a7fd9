/**
 * The DATA stream of an SMTP transaction as an async iterable with backpressure and a size
 * limit. Whatever the reader does (stops early, fails), the rest of the stream is read and
 * dropped, so that the SMTP session can always send its reply.
 */
import type { Readable } from 'node:stream';

/** The message grew beyond the service's size limit. */
export class MessageTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the message is larger than ${limitBytes} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** Bytes buffered before the stream is paused (the reader, e.g. an upload, is slower than the socket). */
const HIGH_WATER = 1024 * 1024;

/** Reads an SMTP DATA stream once, chunk by chunk. */
export class DataFeed implements AsyncIterable<Buffer> {
  /** Bytes received so far, dropped ones included. */
  bytes = 0;
  /** Settles when the stream has ended or failed. */
  readonly finished: Promise<void>;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private dropping = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly stream: Readable,
    private readonly maxBytes: number,
  ) {
    let done!: () => void;
    this.finished = new Promise((resolve) => (done = resolve));
    stream.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (this.dropping) return;
      if (this.bytes > this.maxBytes) {
        this.failure ??= new MessageTooLargeError(this.maxBytes);
        this.drop();
      } else {
        this.queue.push(chunk);
        this.queued += chunk.length;
        if (this.queued >= HIGH_WATER) stream.pause();
      }
      this.signal();
    });
    stream.on('end', () => {
      this.ended = true;
      this.signal();
      done();
    });
    // The client went away mid-DATA: smtp-server destroys the stream with an error.
    stream.on('error', (error: Error) => {
      this.failure ??= error;
      this.ended = true;
      this.signal();
      done();
    });
  }

  /** Whether the message passed the size limit. */
  get tooLarge(): boolean {
    return this.failure instanceof MessageTooLargeError;
  }

  /** Whether the stream failed (the client went away before the end of DATA). */
  get interrupted(): boolean {
    return this.failure !== undefined && !this.tooLarge;
  }

  /** Stops handing chunks on: the rest of the stream is read and dropped. */
  drop(): void {
    this.dropping = true;
    this.queue.length = 0;
    this.queued = 0;
    this.stream.resume();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        const chunk = this.queue.shift();
        if (chunk) {
          this.queued -= chunk.length;
          if (this.stream.isPaused() && this.queued < HIGH_WATER / 2) this.stream.resume();
          yield chunk;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // Stopped early, failed or done: nothing more is handed on, the rest is read and dropped.
      this.drop();
    }
  }
}
