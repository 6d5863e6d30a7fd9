import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DomainNotVerifiedError, ServiceUnavailableError, UnprocessableError } from '../../../lib/domain/errors.ts';
import type { StoredMessage } from '../../../lib/domain/message.ts';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import type { MessageStore } from '../../../lib/ports/message-store.ts';
import type { RawMessageStore } from '../../../lib/ports/raw-message-store.ts';
import { DataFeed, MessageTooLargeError } from '../../../lib/smtp/data-feed.ts';
import { acceptSubmission, type Submission, type SubmissionDeps } from '../../../lib/use-cases/accept-submission.ts';
import { memoryLog } from '../../support/fakes/index.ts';

/** In-memory ports: enough of each for accepting a submission. */
function fakes(options: { queueDown?: boolean; unverified?: string; suppressed?: string[] } = {}) {
  const objects = new Map<string, Buffer>();
  const created: StoredMessage[] = [];
  const failed: string[] = [];
  const jobs: DeliveryJob[] = [];
  const rawMessages: RawMessageStore = {
    async put(key, chunks) {
      const parts: Buffer[] = [];
      for await (const chunk of chunks) parts.push(Buffer.from(chunk));
      objects.set(key, Buffer.concat(parts));
      return { bytes: objects.get(key)!.length };
    },
    get: async (key) => objects.get(key),
    delete: async (key) => void objects.delete(key),
  };
  const deps: SubmissionDeps = {
    rawMessages,
    messages: {
      create: async (s: StoredMessage) => void created.push(s),
      markFailed: async (id: string) => (failed.push(id), undefined),
    } as unknown as MessageStore,
    events: { append: async () => undefined } as unknown as SubmissionDeps['events'],
    suppressions: {
      findMany: async (_tenant: string, emails: string[]) =>
        new Map(emails.filter((e) => options.suppressed?.includes(e)).map((e) => [e, { reason: 'manual' }])),
    } as unknown as SubmissionDeps['suppressions'],
    queue: {
      enqueue: async (batch: DeliveryJob[]) => {
        if (options.queueDown) throw new Error('down');
        jobs.push(...batch);
      },
      deadLetter: async () => undefined,
    },
    senders: {
      check: async (_tenant, address) => {
        if (options.unverified && address.endsWith(`@${options.unverified}`)) throw new DomainNotVerifiedError(options.unverified);
      },
    },
    clock: { now: () => new Date('2026-11-28T10:00:00Z') },
    newId: () => '01SUBMISSION',
    log: memoryLog(),
  };
  return { deps, objects, created, failed, jobs };
}

async function* bytes(text: string) {
  yield Buffer.from(text);
}

function submission(text: string, overrides: Partial<Submission> = {}): Submission {
  return {
    tenant: 't1',
    envelopeFrom: 'app@example.com',
    recipients: ['to@example.org', 'bcc@example.org'],
    headers: {
      from: [{ name: 'App', address: 'app@example.com' }],
      to: [{ address: 'to@example.org' }],
      cc: [],
      subject: 'Hi',
      hasDate: false,
    },
    content: bytes(text),
    ...overrides,
  };
}

describe('acceptSubmission', () => {
  it('stores the bytes after the header lines mailroom adds, and queues the message', async () => {
    const { deps, objects, created, jobs } = fakes();
    const message = 'From: App <app@example.com>\r\nTo: to@example.org\r\nSubject: Hi\r\n\r\nBody\r\n';
    const accepted = await acceptSubmission(deps, submission(message));
    expect(accepted).toEqual({ id: '01SUBMISSION', messageIdHeader: '<01submission@example.com>' });
    expect(objects.get('smtp/01SUBMISSION.eml')?.toString()).toBe(
      `X-Mailroom-Id: 01SUBMISSION\r\nMessage-ID: <01submission@example.com>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n${message}`,
    );
    expect(created[0]?.message.raw).toEqual({ key: 'smtp/01SUBMISSION.eml', bytes: objects.get('smtp/01SUBMISSION.eml')!.length });
    expect(created[0]?.message.content.bcc).toEqual(['bcc@example.org']);
    expect(created[0]?.recipients.map((r) => r.kind)).toEqual(['to', 'bcc']);
    expect(jobs).toHaveLength(1);
  });

  it('keeps the message’s own Message-ID and Date', async () => {
    const { deps, objects } = fakes();
    await acceptSubmission(
      deps,
      submission('Subject: x\r\n\r\n', { headers: { ...submission('').headers, messageId: '<own@example.com>', hasDate: true } }),
    );
    expect(objects.get('smtp/01SUBMISSION.eml')?.toString()).toBe('X-Mailroom-Id: 01SUBMISSION\r\nSubject: x\r\n\r\n');
  });

  it('removes what it stored and marks the record failed when the queue is down', async () => {
    const { deps, objects, failed } = fakes({ queueDown: true });
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(objects.size).toBe(0);
    expect(failed).toEqual(['01SUBMISSION']);
  });

  it('marks the record failed when a write after it fails, so a restart cannot requeue it', async () => {
    const { deps, objects, failed, jobs } = fakes();
    deps.events = { append: async () => Promise.reject(new Error('throttled')) } as unknown as SubmissionDeps['events'];
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(failed).toEqual(['01SUBMISSION']);
    expect(objects.size).toBe(0);
    expect(jobs).toHaveLength(0);
  });

  it('refuses a From header of an unverified domain before storing anything', async () => {
    const { deps, objects } = fakes({ unverified: 'other.example' });
    const headers = { ...submission('').headers, from: [{ address: 'ceo@other.example' }] };
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n', { headers }))).rejects.toBeInstanceOf(DomainNotVerifiedError);
    expect(objects.size).toBe(0);
  });

  it('stores nothing when every recipient is suppressed, or the message has no From', async () => {
    const { deps, objects, created } = fakes({ suppressed: ['to@example.org', 'bcc@example.org'] });
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).rejects.toMatchObject({ code: 'all_recipients_suppressed' });
    await expect(acceptSubmission(deps, submission('x', { headers: { ...submission('').headers, from: [] } }))).rejects.toBeInstanceOf(
      UnprocessableError,
    );
    expect(objects.size).toBe(0);
    expect(created).toHaveLength(0);
  });
});

describe('DataFeed', () => {
  it('fails the reader past the size limit and drops the rest, so the stream still ends', async () => {
    const stream = new PassThrough();
    const feed = new DataFeed(stream, 10);
    const reading = (async () => {
      for await (const _chunk of feed) void _chunk;
    })();
    stream.write(Buffer.alloc(8));
    stream.write(Buffer.alloc(8));
    stream.end(Buffer.alloc(100));
    await expect(reading).rejects.toBeInstanceOf(MessageTooLargeError);
    await feed.finished;
    expect(feed.bytes).toBe(116);
    expect(feed.tooLarge).toBe(true);
  });

  it('reports a stream that failed (the client went away) as interrupted', async () => {
    const stream = new PassThrough();
    const feed = new DataFeed(stream, 1000);
    const reading = (async () => {
      for await (const _chunk of feed) void _chunk;
    })();
    stream.write('partial');
    stream.destroy(new Error('Connection closed'));
    await expect(reading).rejects.toThrow('Connection closed');
    expect(feed.interrupted).toBe(true);
  });
});
