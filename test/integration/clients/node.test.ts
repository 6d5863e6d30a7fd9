/**
 * The Node client end to end against local mode: the typed client on a few routes, and the
 * nodemailer transport, whose mail goes through the HTTPS API, the queue and the relay to the
 * capture mailbox, where the delivered message is parsed back with mailparser (attachments
 * compared byte for byte).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailroomApiError, MailroomClient } from '../../../clients/node/src/index.ts';
import { mailroomTransport } from '../../../clients/node/src/nodemailer.ts';
import type { CapturedMail } from '../../../lib/local/capture-smtp.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

let runtime: LocalRuntime;
let client: MailroomClient;

beforeAll(async () => {
  runtime = await startPipeline();
  // The address `npm start` prints, /v1 included: the client takes it as it is.
  client = new MailroomClient({ url: `${runtime.apiUrl}/v1`, apiKey: runtime.apiKey });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

/** The captured copy of message `id`. */
function delivered(id: string): Promise<CapturedMail> {
  return waitFor(
    () =>
      runtime.capture!.messages().find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id)),
    (mail): mail is CapturedMail => mail !== undefined,
    { message: `the delivered copy of ${id}` },
  ) as Promise<CapturedMail>;
}

const header = (mail: CapturedMail, name: string) => mail.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe('MailroomClient against local mode', () => {
  it('creates, reads and pages lists, and fails with the API’s error', async () => {
    const list = await client.request('post', '/v1/lists', { body: { name: 'Client list' } });
    expect(await client.request('get', '/v1/lists/{id}', { path: { id: list.id } })).toEqual(list);
    const contact = await client.request('post', '/v1/lists/{id}/contacts', {
      path: { id: list.id },
      body: { email: 'ada@example.test', attributes: { plan: 'pro' } },
    });
    expect(contact).toMatchObject({ email: 'ada@example.test', status: 'subscribed', attributes: { plan: 'pro' } });
    const page = await client.request('get', '/v1/lists/{id}/contacts', { path: { id: list.id }, query: { limit: 10 } });
    expect(page).toMatchObject({ data: [{ email: 'ada@example.test' }], next_cursor: null });
    expect(await client.request('delete', '/v1/lists/{id}', { path: { id: list.id } })).toBeUndefined();
    const gone = await client.request('get', '/v1/lists/{id}', { path: { id: list.id } }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(MailroomApiError);
    expect(gone).toMatchObject({ status: 404, code: 'list_not_found' });
  });

  it('sends and reads a message', async () => {
    const accepted = await client.sendMessage({ from: 'hello@acme.test', to: 'you@example.test', subject: 'Typed', text: 'Hi' });
    const message = await waitForMessage(runtime, accepted.id, (m) => m.status === 'sent');
    expect(await client.getMessage(accepted.id)).toMatchObject({ id: accepted.id, subject: 'Typed', status: message.status });
  });
});

describe('the nodemailer transport against local mode', () => {
  const transporter = () => nodemailer.createTransport(mailroomTransport({ url: runtime.apiUrl, apiKey: runtime.apiKey }));

  it('sends nodemailer’s message over the API and answers as nodemailer’s transports do', async () => {
    await client.request('put', '/v1/suppressions/{email}', { path: { email: 'gone@example.test' } });
    const info = await transporter().sendMail({
      from: { name: 'Acme, Billing', address: 'billing@acme.test' },
      to: ['Ann <ann@example.test>', 'gone@example.test'],
      cc: 'carl@example.test',
      bcc: 'audit@acme.test',
      replyTo: 'help@acme.test',
      subject: 'Your receipt',
      text: 'Thanks for your order.',
      html: Buffer.from('<p>Thanks for your order.</p>'),
      headers: { 'X-Order': '1234' },
      inReplyTo: '<order-1234@acme.test>',
      priority: 'high',
      tags: { kind: 'receipt' },
      metadata: { order: 1234 },
    });
    expect(info.messageId).toBe(info.id);
    expect(info.envelope).toEqual({
      from: 'billing@acme.test',
      to: ['ann@example.test', 'gone@example.test', 'carl@example.test', 'audit@acme.test'],
    });
    expect(info.accepted).toEqual(['ann@example.test', 'carl@example.test', 'audit@acme.test']);
    expect(info.rejected).toEqual(['gone@example.test']);
    expect(info.response).toBe(`202 Accepted: queued as ${info.id}`);

    const mail = await delivered(info.messageId);
    expect(mail.from).toBe('"Acme, Billing" <billing@acme.test>');
    expect(mail.subject).toBe('Your receipt');
    expect(mail.envelopeTo.sort()).toEqual(['ann@example.test', 'audit@acme.test', 'carl@example.test']);
    expect(header(mail, 'cc')).toBe('carl@example.test');
    expect(header(mail, 'bcc')).toBeUndefined();
    expect(header(mail, 'reply-to')).toBe('help@acme.test');
    expect(header(mail, 'x-order')).toBe('1234');
    expect(header(mail, 'in-reply-to')).toBe('<order-1234@acme.test>');
    expect(header(mail, 'importance')).toBe('High');
    expect(mail.html).toContain('Thanks for your order.');
    expect(mail.text?.trim()).toBe('Thanks for your order.');
    expect(await client.getMessage(info.id)).toMatchObject({ tags: { kind: 'receipt' }, metadata: { order: 1234 } });
  });

  it('sends a message once for one idempotency key', async () => {
    const mail = { from: 'a@acme.test', to: 'b@example.test', subject: 'Once', text: 'once', idempotencyKey: 'order-77' };
    const [first, second] = [await transporter().sendMail(mail), await transporter().sendMail(mail)];
    expect(second.messageId).toBe(first.messageId);
  });

  it('fails with the API’s error: every recipient suppressed, an invalid message', async () => {
    const suppressed = await transporter()
      .sendMail({ from: 'a@acme.test', to: 'gone@example.test', subject: 'x', text: 'x' })
      .catch((error: unknown) => error);
    expect(suppressed).toBeInstanceOf(MailroomApiError);
    expect(suppressed).toMatchObject({ status: 422, code: 'all_recipients_suppressed', rejected: ['gone@example.test'] });

    const invalid = await transporter()
      .sendMail({ from: 'a@acme.test', to: 'b@example.test', subject: 'x', text: 'x', headers: { 'X-SES-CONFIGURATION-SET': 'other' } })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request', details: [{ field: 'headers.X-SES-CONFIGURATION-SET' }] });
  });

  it('refuses what mailroom composes itself before asking the API', async () => {
    const failure = await transporter()
      .sendMail({
        from: 'a@acme.test',
        to: 'b@example.test',
        subject: 'x',
        text: 'x',
        envelope: { from: 'bounce@acme.test', to: 'c@example.test' },
      })
      .catch((error: Error) => error.message);
    expect(failure).toMatch(/does not send envelope/);
  });

  it('verifies that the API answers', async () => {
    await expect(transporter().verify()).resolves.toBe(true);
  });
});

describe('the nodemailer transport’s attachments against local mode', () => {
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  /** Every byte value, several times over. */
  const BINARY = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

  it('carries buffers, strings, files and inline images to the API’s attachments, delivered byte for byte', async () => {
    const folder = await mkdtemp(join('.tmp', 'attachments-'));
    try {
      const file = join(folder, 'terms.txt');
      const terms = Buffer.from('Terms.\r\nGrüße, line two\n', 'utf8');
      await writeFile(file, terms);
      const info = await nodemailer.createTransport(mailroomTransport({ url: runtime.apiUrl, apiKey: runtime.apiKey })).sendMail({
        from: 'Billing <billing@acme.test>',
        to: 'ann@example.test',
        subject: 'Your invoice',
        text: 'Attached.',
        html: '<p><img src="cid:logo@acme.test" alt="Acme"> Attached.</p>',
        attachments: [
          { filename: 'invoice.pdf', content: BINARY, contentType: 'application/pdf' },
          { filename: 'note.txt', content: 'plain text' },
          { path: file },
          { filename: 'logo.png', content: PNG.toString('base64'), encoding: 'base64', cid: 'logo@acme.test' },
        ],
      });
      await waitForMessage(runtime, info.messageId, (m) => m.status === 'sent');
      const parsed = await simpleParser(Buffer.from((await delivered(info.messageId)).raw, 'utf8'), { skipImageLinks: true });
      expect(parsed.subject).toBe('Your invoice');
      // The inline image sits with the html (multipart/related), before the files: compared by name.
      expect(
        parsed.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          disposition: a.contentDisposition,
          cid: a.cid,
          sha: sha(a.content),
        })),
      ).toEqual(
        expect.arrayContaining([
          { filename: 'invoice.pdf', contentType: 'application/pdf', disposition: 'attachment', cid: undefined, sha: sha(BINARY) },
          {
            filename: 'note.txt',
            contentType: 'text/plain',
            disposition: 'attachment',
            cid: undefined,
            sha: sha(Buffer.from('plain text')),
          },
          { filename: 'terms.txt', contentType: 'text/plain', disposition: 'attachment', cid: undefined, sha: sha(terms) },
          { filename: 'logo.png', contentType: 'image/png', disposition: 'inline', cid: 'logo@acme.test', sha: sha(PNG) },
        ]),
      );
      expect(parsed.attachments).toHaveLength(4);
      expect(parsed.html).toContain('src="cid:logo@acme.test"');
      expect((await client.getMessage(info.messageId)).attachments).toEqual([
        { filename: 'invoice.pdf', content_type: 'application/pdf', size: BINARY.length, disposition: 'attachment' },
        { filename: 'note.txt', content_type: 'text/plain', size: 10, disposition: 'attachment' },
        { filename: 'terms.txt', content_type: 'text/plain', size: terms.length, disposition: 'attachment' },
        { filename: 'logo.png', content_type: 'image/png', size: PNG.length, disposition: 'inline', content_id: 'logo@acme.test' },
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('fails with the API’s error for a file type that is not sent', async () => {
    const refused = await nodemailer
      .createTransport(mailroomTransport({ url: runtime.apiUrl, apiKey: runtime.apiKey }))
      .sendMail({
        from: 'a@acme.test',
        to: 'b@example.test',
        subject: 'x',
        text: 'x',
        attachments: [{ filename: 'setup.exe', content: 'MZ' }],
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MailroomApiError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request', details: [{ field: 'attachments[0].filename' }] });
  });
});
