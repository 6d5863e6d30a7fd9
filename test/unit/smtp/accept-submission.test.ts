import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DomainNotVerifiedError, ServiceUnavailableError, UnprocessableError } from '../../../lib/domain/errors.ts';
import { DataFeed, MessageTooLargeError } from '../../../lib/smtp/data-feed.ts';
import { acceptSubmission, type Submission, type SubmissionDeps } from '../../../lib/use-cases/accept-submission.ts';
import {
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemoryRawMessageStore,
  MemorySendQueue,
  MemorySuppressionStore,
  memoryLog,
} from '../../support/fakes/index.ts';

/** Accepting a submission over in-memory ports. */
function fakes(options: { queueDown?: boolean; storeDown?: boolean; unverified?: string; suppressed?: string[] } = {}) {
  const rawMessages = new MemoryRawMessageStore();
  const messages = new MemoryMessageStore();
  if (options.storeDown) messages.create = () => Promise.reject(new Error('throttled'));
  const events = new MemoryEventStore();
  const queue = new MemorySendQueue();
  queue.failing = options.queueDown ?? false;
  const at = '2026-11-28T10:00:00Z';
  const suppressions = new MemorySuppressionStore(
    ...(options.suppressed ?? []).map((email) => ({ tenant: 't1', email, reason: 'manual' as const, createdAt: at })),
  );
  const deps: SubmissionDeps = {
    rawMessages,
    messages,
    events,
    suppressions,
    queue,
    senders: {
      check: async (_tenant, address) => {
        if (options.unverified && address.endsWith(`@${options.unverified}`)) throw new DomainNotVerifiedError(options.unverified);
      },
    },
    clock: clockAt(at),
    newId: () => '01SUBMISSION',
    log: memoryLog(),
  };
  const created = () => [...messages.byId.values()];
  const failed = () =>
    created()
      .filter((s) => s.message.status === 'failed')
      .map((s) => s.message.id);
  return { deps, objects: rawMessages.objects, events, queue, created, failed };
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
    const { deps, objects, created, queue } = fakes();
    const message = 'From: App <app@example.com>\r\nTo: to@example.org\r\nSubject: Hi\r\n\r\nBody\r\n';
    const accepted = await acceptSubmission(deps, submission(message));
    expect(accepted).toEqual({ id: '01SUBMISSION', messageIdHeader: '<01submission@example.com>' });
    expect(objects.get('smtp/01SUBMISSION.eml')?.toString()).toBe(
      `X-Mailroom-ID: 01SUBMISSION\r\nMessage-ID: <01submission@example.com>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n${message}`,
    );
    expect(created()[0]?.message.raw).toEqual({ key: 'smtp/01SUBMISSION.eml', bytes: objects.get('smtp/01SUBMISSION.eml')!.length });
    expect(created()[0]?.message.content.bcc).toEqual(['bcc@example.org']);
    expect(created()[0]?.recipients.map((r) => r.kind)).toEqual(['to', 'bcc']);
    expect(queue.jobs).toHaveLength(1);
  });

  it('keeps the message’s own Message-ID and Date', async () => {
    const { deps, objects } = fakes();
    await acceptSubmission(
      deps,
      submission('Subject: x\r\n\r\n', { headers: { ...submission('').headers, messageId: '<own@example.com>', hasDate: true } }),
    );
    expect(objects.get('smtp/01SUBMISSION.eml')?.toString()).toBe('X-Mailroom-ID: 01SUBMISSION\r\nSubject: x\r\n\r\n');
  });

  it('removes what it stored, and stores no record, when the queue is down', async () => {
    const { deps, objects, created } = fakes({ queueDown: true });
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(objects.size).toBe(0);
    expect(created()).toHaveLength(0);
  });

  it('queues the job before the record, and removes the bytes when the record is not stored', async () => {
    const { deps, objects, created, queue } = fakes({ storeDown: true });
    await expect(acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).rejects.toBeInstanceOf(ServiceUnavailableError);
    // The job finds no message and is dropped; without its bytes it could not be sent either.
    expect(queue.jobs).toEqual([expect.objectContaining({ messageId: '01SUBMISSION', enqueuedAt: Date.parse('2026-11-28T10:00:00Z') })]);
    expect(created()).toHaveLength(0);
    expect(objects.size).toBe(0);
  });

  it('accepts a message whose record is stored even when its events are not: it will be delivered', async () => {
    const { deps, objects, created, failed, events, queue } = fakes();
    const log = memoryLog();
    deps.log = log;
    events.failing = true;
    // A 4xx would have the client send a second copy.
    expect(await acceptSubmission(deps, submission('Subject: x\r\n\r\n'))).toMatchObject({ id: '01SUBMISSION' });
    expect(created()).toHaveLength(1);
    expect(queue.jobs).toHaveLength(1);
    expect(failed()).toEqual([]);
    expect(objects.size).toBe(1);
    expect(log.lines.map((l) => l.message)).toContain('submission stored, but a write after its record failed');
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
    expect(created()).toHaveLength(0);
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
