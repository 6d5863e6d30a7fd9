import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../lib/http/request.ts';
import { MAX_BODY_BYTES } from '../../../lib/domain/send-request.ts';
import { MAX_SEND_REQUEST_BYTES } from '../../../lib/topology.ts';
import { recordCalls } from '../../support/recorded-calls.ts';
import { apiHarness, expectErrorDocument, problemFields, sendBody, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let key: string;

beforeAll(async () => {
  api = await apiHarness();
  key = await api.newKey('tenant-a');
});
afterAll(() => api.close());

const post = (body: unknown, headers: Record<string, string> = {}) => api.call('POST', '/v1/messages', { key, body, headers });

describe('POST /v1/messages', () => {
  it('answers 202 queued, puts exactly one job on the queue, and GET shows it queued with a queued event', async () => {
    await api.drainJobs();
    const answer = await post(
      sendBody({
        to: ['Ann <ann@Example.COM>', 'bob@bücher.example'],
        cc: 'carol@example.com',
        bcc: ['dave@example.com'],
        headers: { 'X-Campaign': 'spring' },
        tags: { campaign: 'spring' },
        metadata: { order: 42 },
      }),
    );
    expect(answer.status).toBe(202);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'queued', rejected: [] });

    const jobs = await api.drainJobs();
    // The job says how many recipients the attempt addresses (the relay's rate counts them),
    // when it was enqueued (before the message was stored), and carries the small bodies.
    expect(jobs).toEqual([
      {
        v: 1,
        messageId: answer.body.id,
        tenant: 'tenant-a',
        attempt: 1,
        recipients: 4,
        enqueuedAt: expect.any(Number),
        bodies: expect.any(String),
      },
    ]);

    const message = await api.call('GET', `/v1/messages/${answer.body.id}`, { key });
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({
      id: answer.body.id,
      status: 'queued',
      from: 'Shop <orders@shop.example>',
      to: ['Ann <ann@example.com>', 'bob@xn--bcher-kva.example'],
      cc: ['carol@example.com'],
      bcc: ['dave@example.com'],
      subject: 'Your order',
      tags: { campaign: 'spring' },
      metadata: { order: 42 },
      attempts: 0,
    });
    expect(message.body.message_id_header).toMatch(/^<[0-9a-z]{26}@shop\.example>$/);
    expect(message.body.recipients.map((r: { email: string; kind: string; status: string }) => [r.email, r.kind, r.status])).toEqual([
      ['ann@example.com', 'to', 'queued'],
      ['bob@xn--bcher-kva.example', 'to', 'queued'],
      ['carol@example.com', 'cc', 'queued'],
      ['dave@example.com', 'bcc', 'queued'],
    ]);
    expect(message.body.events).toHaveLength(4);
    for (const event of message.body.events) expect(event).toMatchObject({ type: 'queued', attempt: 0 });
    expect(message.body.events.map((e: { recipient: string }) => e.recipient).sort()).toEqual(
      ['ann@example.com', 'bob@xn--bcher-kva.example', 'carol@example.com', 'dave@example.com'].sort(),
    );
  });

  it('writes a new message, its body and its feed entry in one DynamoDB request, the message carrying its queued event', async () => {
    // Warm: the API key is read (and cached) by the first request.
    expect((await post(sendBody())).status).toBe(202);
    const { calls, stop } = recordCalls(api.dynamo);
    try {
      const answer = await post(sendBody({ to: 'erin@example.com' }));
      expect(answer.status).toBe(202);
      const { tables } = api;
      const writes = calls.filter((call) => /^(Put|Update|Delete|BatchWrite|TransactWrite)Item/.test(call.command));
      // The rate limiter's counter, then the message: one request for its message, body and feed
      // entry; its queued event lives in the message item (carried-events.ts), none in the events table.
      expect(writes.filter((call) => !call.tables.includes(tables.rateLimits))).toEqual([
        { command: 'BatchWriteItemCommand', tables: [tables.messages, tables.feed] },
      ]);
      const message = await api.call('GET', `/v1/messages/${answer.body.id}`, { key });
      expect(message.body.events).toEqual([expect.objectContaining({ type: 'queued', recipient: 'erin@example.com', attempt: 0 })]);
    } finally {
      stop();
      await api.drainJobs();
    }
  });

  it('answers 404 for an unknown or malformed message id', async () => {
    expectErrorDocument(await api.call('GET', '/v1/messages/01ZZZZZZZZZZZZZZZZZZZZZZZZ', { key }), 404, 'not_found');
    expectErrorDocument(await api.call('GET', `/v1/messages/${'A'.repeat(65)}`, { key }), 404, 'not_found');
    expectErrorDocument(await api.call('GET', '/v1/messages/%2E%2E', { key }), 404, 'not_found');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad to address', sendBody({ to: 'ann@example' }), 'to'],
    ['a bad address in a list', sendBody({ to: ['ann@example.com', 'bob@@example.com'] }), 'to[1]'],
    ['a bad from address', sendBody({ from: 'orders' }), 'from'],
    ['a bad cc address', sendBody({ cc: 'carol example.com' }), 'cc'],
    ['an address followed by a path', sendBody({ to: 'ann@example.com/x' }), 'to'],
    ['CR LF in the subject', sendBody({ subject: 'Hi\r\nBcc: spy@example.com' }), 'subject'],
    ['LF in a custom header', sendBody({ headers: { 'X-Custom': 'a\nBcc: spy@example.com' } }), 'headers.X-Custom'],
    ['CR LF in a display name', sendBody({ from: '"Shop\r\nBcc: spy@example.com" <orders@shop.example>' }), 'from'],
    ['LF in a recipient display name', sendBody({ to: ['Ann\n <ann@example.com>'] }), 'to[0]'],
    ['NUL in a tag value', sendBody({ tags: { campaign: 'a\u0000b' } }), 'tags.campaign'],
    ['an unknown field', sendBody({ attachment: [] }), 'attachment'],
    ['no text and no html', { from: 'orders@shop.example', to: 'ann@example.com', subject: 'x' }, 'text'],
    ['a reserved header', sendBody({ headers: { Bcc: 'spy@example.com' } }), 'headers.Bcc'],
    ['a reserved header in another case', sendBody({ headers: { 'CONTENT-TYPE': 'text/html' } }), 'headers.CONTENT-TYPE'],
    ['an empty subject', sendBody({ subject: '' }), 'subject'],
    ['no recipient', sendBody({ to: [] }), 'to'],
    ['a number for a string', sendBody({ subject: 42 }), 'subject'],
  ])('answers 400 naming the field for %s, and queues nothing', async (_, body, field) => {
    const answer = await post(body);
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toContain(field);
    expect(await api.drainJobs()).toEqual([]);
  });

  it(`answers 413 for a body over ${MAX_SEND_REQUEST_BYTES} bytes, saying how to send larger files`, async () => {
    const answer = await post(sendBody({ attachments: [{ filename: 'big.bin', content: 'A'.repeat(MAX_SEND_REQUEST_BYTES) }] }));
    expectErrorDocument(answer, 413, 'payload_too_large');
    expect(answer.body.error.details).toEqual({ limit_bytes: MAX_SEND_REQUEST_BYTES });
    expect(answer.body.error.message).toBe(
      `The request body is larger than ${MAX_SEND_REQUEST_BYTES} bytes. Upload larger files with POST /v1/attachments, ` +
        'PUT them to the upload_url it answers, and send them by attachment_id.',
    );
  });

  it(`answers 400 naming text for text and html over ${MAX_BODY_BYTES} bytes together`, async () => {
    const answer = await post(sendBody({ text: 'x'.repeat(MAX_BODY_BYTES), html: '<p>x</p>' }));
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['html']);
  });

  it('answers 415 for text/plain and for a body without a content type', async () => {
    expectErrorDocument(
      await api.call('POST', '/v1/messages', { key, body: JSON.stringify(sendBody()), headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
    expectErrorDocument(await api.call('POST', '/v1/messages', { key, body: JSON.stringify(sendBody()) }), 415, 'unsupported_media_type');
  });

  it('reads a JSON body sent base64-encoded, as API Gateway passes some bodies', async () => {
    const answer = await api.call('POST', '/v1/messages', { key, body: sendBody({ subject: 'Grüße' }), base64: true });
    expect(answer.status).toBe(202);
    expect((await api.call('GET', `/v1/messages/${answer.body.id}`, { key })).body.subject).toBe('Grüße');
    await api.drainJobs();
  });

  it('answers 400 for invalid JSON, an empty body and JSON that is not an object', async () => {
    for (const body of ['{"from": ', "{'from': 'x'}", '[1, 2', '']) {
      const answer = await api.call('POST', '/v1/messages', { key, body, headers: { 'content-type': 'application/json' } });
      expectErrorDocument(answer, 400, 'invalid_request');
      expect(problemFields(answer)).toEqual(['(body)']);
    }
    for (const body of [[], 'just a string', 42, null]) {
      const answer = await post(JSON.stringify(body), { 'content-type': 'application/json' });
      expectErrorDocument(answer, 400, 'invalid_request');
    }
  });

  it('answers 400 for JSON nested too deeply, even very deeply', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) nested = { n: nested };
    const deep = await post(sendBody({ metadata: nested }));
    expectErrorDocument(deep, 400, 'invalid_request');
    expect(deep.body.error.details).toEqual([{ field: '(body)', message: `at most ${MAX_JSON_DEPTH} levels` }]);
    const levels = 100_000;
    const huge = await post(`${'['.repeat(levels)}${']'.repeat(levels)}`, { 'content-type': 'application/json' });
    expectErrorDocument(huge, 400, 'invalid_request');
  });

  it('answers quickly for long runs of spaces in address fields (no regular-expression blow-up)', async () => {
    const started = performance.now();
    const answer = await post(sendBody({ from: ' '.repeat(100_000), to: [`a${' '.repeat(100_000)}x`] }));
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['from', 'to[0]']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('suppressed recipients', () => {
  it('drops suppressed recipients (domain compared case-insensitively), lists them in rejected, and queues the rest', async () => {
    expect((await api.call('PUT', '/v1/suppressions/gone@example.com', { key, body: { reason: 'hard_bounce' } })).status).toBe(200);
    await api.drainJobs();
    const answer = await post(sendBody({ to: ['ann@example.com', 'gone@EXAMPLE.com'], cc: 'Gone@example.com' }));
    expect(answer.status).toBe(202);
    // `Gone@…` is another mailbox: local parts are case-sensitive.
    expect(answer.body).toEqual({
      id: expect.any(String),
      status: 'queued',
      rejected: [{ email: 'gone@example.com', reason: 'suppressed' }],
    });
    expect(await api.drainJobs()).toHaveLength(1);

    const message = (await api.call('GET', `/v1/messages/${answer.body.id}`, { key })).body;
    expect(message.status).toBe('queued');
    const byEmail = Object.fromEntries(message.recipients.map((r: { email: string; status: string }) => [r.email, r.status]));
    expect(byEmail).toEqual({ 'ann@example.com': 'queued', 'gone@example.com': 'rejected', 'Gone@example.com': 'queued' });
    const rejected = message.events.filter((e: { type: string }) => e.type === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ recipient: 'gone@example.com', type: 'rejected' })]);
  });

  it('answers 422 all_recipients_suppressed when nobody is left, and queues nothing', async () => {
    await api.call('PUT', '/v1/suppressions/left@example.com', { key, body: { reason: 'unsubscribe' } });
    await api.drainJobs();
    const answer = await post(sendBody({ to: 'left@Example.com', bcc: 'gone@example.com' }));
    expectErrorDocument(answer, 422, 'all_recipients_suppressed');
    expect(answer.body.error.details).toEqual({
      id: expect.any(String),
      rejected: [
        { email: 'left@example.com', reason: 'suppressed' },
        { email: 'gone@example.com', reason: 'suppressed' },
      ],
    });
    expect(await api.drainJobs()).toEqual([]);
    const message = await api.call('GET', `/v1/messages/${answer.body.error.details.id}`, { key });
    expect(message.body.status).toBe('rejected');
  });
});

const recipients = (count: number) => Array.from({ length: count }, (_, i) => `r${i}@example.com`);
const without = (field: string) => Object.fromEntries(Object.entries(sendBody()).filter(([name]) => name !== field));

/** Requests that are wrong in one way, and the problem the answer names for it. */
const WRONG: [string, unknown, { field: string; message: string }][] = [
  ['51 recipients', sendBody({ to: recipients(51) }), { field: 'to', message: 'at most 50 recipients' }],
  ['51 cc recipients', sendBody({ cc: recipients(51) }), { field: 'cc', message: 'at most 50 recipients' }],
  ['no to', without('to'), { field: 'to', message: 'is required' }],
  ['no from', without('from'), { field: 'from', message: 'is required' }],
  ['no subject', without('subject'), { field: 'subject', message: 'is required' }],
  ['a subject of 999 characters', sendBody({ subject: 's'.repeat(999) }), { field: 'subject', message: 'at most 998 characters' }],
  ['a number for the subject', sendBody({ subject: 42 }), { field: 'subject', message: 'must be a string, not a number' }],
  ['a number for to', sendBody({ to: 5 }), { field: 'to', message: 'must be a string or an array, not a number' }],
  ['a number in the to list', sendBody({ to: ['ann@example.com', 5] }), { field: 'to[1]', message: 'must be a string, not a number' }],
  ['an object for text', sendBody({ text: {} }), { field: 'text', message: 'must be a string, not an object' }],
  ['a string for tracking', sendBody({ tracking: 'yes' }), { field: 'tracking', message: 'must be an object, not a string' }],
  [
    'a string for tracking.opens',
    sendBody({ tracking: { opens: 'yes' } }),
    { field: 'tracking.opens', message: 'must be true or false, not a string' },
  ],
  ['a number for a tag', sendBody({ tags: { plan: 5 } }), { field: 'tags.plan', message: 'must be a string, not a number' }],
  ['a tag of 257 characters', sendBody({ tags: { plan: 'p'.repeat(257) } }), { field: 'tags.plan', message: 'at most 256 characters' }],
  [
    'an object as a metadata value',
    sendBody({ metadata: { order: { id: 1 } } }),
    { field: 'metadata.order', message: 'must be a string, a number, true, false or null' },
  ],
  [
    'a metadata value of 2049 characters',
    sendBody({ metadata: { note: 'n'.repeat(2049) } }),
    { field: 'metadata.note', message: 'at most 2048 characters' },
  ],
  [
    'a metadata name of 65 characters',
    sendBody({ metadata: { ['k'.repeat(65)]: 1 } }),
    { field: `metadata.${'k'.repeat(65)}`, message: 'at most 64 characters' },
  ],
  ['an array as the body', [sendBody()], { field: '(body)', message: 'must be a JSON object' }],
];

describe('validation messages', () => {
  it.each(WRONG)('name what is wrong on POST /v1/messages: %s', async (_, body, problem) => {
    const answer = await post(body);
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(answer.body.error.details).toContainEqual(problem);
    expect(answer.text).not.toContain('Invalid input');
  });

  it('name what is wrong with each message of a batch, by index', async () => {
    const answer = await api.call('POST', '/v1/messages/batch', {
      key,
      body: { messages: [sendBody(), ...WRONG.map(([, body]) => body)] },
    });
    expect(answer.status).toBe(202);
    expect(answer.text).not.toContain('Invalid input');
    const [first, ...rest] = answer.body.results;
    expect(first.status_code).toBe(202);
    rest.forEach((result: { index: number; status_code: number; error: { details: unknown[] } }, i: number) => {
      expect(result.index).toBe(i + 1);
      expect(result.status_code, WRONG[i]![0]).toBe(400);
      expect(result.error.details, WRONG[i]![0]).toContainEqual(WRONG[i]![2]);
    });
    await api.drainJobs();
  });

  it.each<[string, unknown, { field: string; message: string }]>([
    ['no messages', {}, { field: 'messages', message: 'is required' }],
    ['none', { messages: [] }, { field: 'messages', message: 'at least one message is required' }],
    ['101 messages', { messages: Array.from({ length: 101 }, () => sendBody()) }, { field: 'messages', message: 'at most 100 messages' }],
    ['an object for messages', { messages: sendBody() }, { field: 'messages', message: 'must be an array, not an object' }],
    ['another field', { messages: [sendBody()], extra: true }, { field: 'extra', message: 'unknown field(s): extra' }],
    ['an array as the body', [sendBody()], { field: '(body)', message: 'must be a JSON object' }],
  ])('name what is wrong with a batch: %s', async (_, body, problem) => {
    const answer = await api.call('POST', '/v1/messages/batch', { key, body });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(answer.body.error.details).toEqual([problem]);
    expect(await api.drainJobs()).toEqual([]);
  });
});

describe('POST /v1/messages/batch', () => {
  it('gives each entry its own result, in order, and queues one job per accepted message', async () => {
    await api.call('PUT', '/v1/suppressions/blocked@example.com', { key });
    await api.drainJobs();
    const answer = await api.call('POST', '/v1/messages/batch', {
      key,
      body: {
        messages: [
          sendBody({ to: 'one@example.com' }),
          sendBody({ to: 'not-an-address' }),
          sendBody({ to: 'blocked@example.com' }),
          sendBody({ to: ['two@example.com', 'blocked@example.com'] }),
          sendBody({ subject: 'a\nb' }),
        ],
      },
    });
    expect(answer.status).toBe(202);
    const results = answer.body.results;
    expect(results.map((r: { index: number; status_code: number }) => [r.index, r.status_code])).toEqual([
      [0, 202],
      [1, 400],
      [2, 422],
      [3, 202],
      [4, 400],
    ]);
    expect(results[0]).toEqual({ index: 0, status_code: 202, id: expect.any(String), status: 'queued', rejected: [] });
    expect(results[1].error).toMatchObject({ code: 'invalid_request', details: [{ field: 'to' }] });
    expect(results[2].error.code).toBe('all_recipients_suppressed');
    expect(results[3].rejected).toEqual([{ email: 'blocked@example.com', reason: 'suppressed' }]);
    expect(results[4].error.details).toEqual([expect.objectContaining({ field: 'subject' })]);

    const jobs = await api.drainJobs();
    expect(jobs.map((j) => j.messageId).sort()).toEqual([results[0].id, results[3].id].sort());
    expect((await api.call('GET', `/v1/messages/${results[3].id}`, { key })).body.status).toBe('queued');
  });

  it('stores the new messages of a batch and their queued events together, 25 items a request', async () => {
    const { calls, stop } = recordCalls(api.dynamo);
    try {
      const messages = Array.from({ length: 10 }, (_, i) => sendBody({ to: `batch-${i}@example.com` }));
      const answer = await api.call('POST', '/v1/messages/batch', { key, body: { messages } });
      expect(answer.status).toBe(202);
      expect(answer.body.results.map((result: { status: string }) => result.status)).toEqual(Array(10).fill('queued'));
      const { tables } = api;
      // 10 messages, each a message item, a body, a feed entry and a queued event: 40 items, 2 requests.
      const writes = calls.filter(
        (call) => /Item/.test(call.command) && !/Get|Query/.test(call.command) && !call.tables.includes(tables.rateLimits),
      );
      expect(writes.map((call) => call.command)).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
      for (const { id } of answer.body.results as { id: string }[]) {
        const message = await api.call('GET', `/v1/messages/${id}`, { key });
        expect(message.body.events).toEqual([expect.objectContaining({ type: 'queued' })]);
      }
    } finally {
      stop();
      await api.drainJobs();
    }
  });

  it('takes 100 messages and refuses 101 or none', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) =>
      i % 50 === 0 ? sendBody({ to: `r${i}@example.com` }) : sendBody({ to: `bad-${i}` }),
    );
    const answer = await api.call('POST', '/v1/messages/batch', { key, body: { messages: hundred } });
    expect(answer.status).toBe(202);
    expect(answer.body.results).toHaveLength(100);
    expect(answer.body.results.filter((r: { status_code: number }) => r.status_code === 202)).toHaveLength(2);
    expect(answer.body.results.map((r: { index: number }) => r.index)).toEqual([...Array(100).keys()]);
    expect(await api.drainJobs()).toHaveLength(2);

    const tooMany = await api.call('POST', '/v1/messages/batch', {
      key,
      body: { messages: Array.from({ length: 101 }, () => sendBody()) },
    });
    expectErrorDocument(tooMany, 400, 'invalid_request');
    expect(problemFields(tooMany)).toEqual(['messages']);
    expectErrorDocument(await api.call('POST', '/v1/messages/batch', { key, body: { messages: [] } }), 400, 'invalid_request');
    expect(await api.drainJobs()).toEqual([]);
  });

  it('refuses a batch that is not {messages: [...]}', async () => {
    for (const [body, field] of [
      [[sendBody()], '(body)'],
      [{ messages: sendBody() }, 'messages'],
      [{ messages: [sendBody()], extra: true }, 'extra'],
      [{}, 'messages'],
    ] as const) {
      const answer = await api.call('POST', '/v1/messages/batch', { key, body });
      expectErrorDocument(answer, 400, 'invalid_request');
      expect(problemFields(answer)).toEqual([field]);
    }
    expect(await api.drainJobs()).toEqual([]);
  });
});

describe('text that is not well-formed UTF-16', () => {
  it('refuses a lone surrogate in the subject with a 400 naming it (it could only be sent as a replacement character)', async () => {
    const answer = await post(sendBody({ subject: 'Hi \ud800 there' }));
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['subject']);
  });

  it('accepts a lone surrogate in the text without failing the store', async () => {
    const answer = await post(sendBody({ text: 'x\udc00y' }));
    expect(answer.status).toBe(202);
    const message = await api.call('GET', `/v1/messages/${answer.body.id}`, { key });
    expect(message.status).toBe(200);
    await api.drainJobs();
  });
});

describe('metadata the message store cannot hold', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an empty key', { '': 1 }],
    ['a number too large for DynamoDB', { big: 1e200 }],
    ['a number too small for DynamoDB', { tiny: 1e-200 }],
    ['an integer beyond the safe range', { id: -9007199254740992 }],
  ])('answers 400 (not 500) for %s', async (_, metadata) => {
    const answer = await post(sendBody({ metadata }));
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer).some((f) => f.startsWith('metadata'))).toBe(true);
  });
});
