/**
 * The Node client end to end against local mode: the typed client on a few routes, and the
 * nodemailer transport, whose mail goes through the HTTPS API, the queue and the relay to the
 * capture mailbox. Attachments, which the API does not take yet, are checked at the HTTP
 * boundary only: a server on loopback records the request the transport makes.
 */
import { once } from 'node:events';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailroomApiError, MailroomClient } from '../../../clients/node/src/index.ts';
import { mailroomTransport, type MailroomSendBody } from '../../../clients/node/src/nodemailer.ts';
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

describe('the nodemailer transport’s attachments, at the HTTP boundary', () => {
  it('sends each attachment as filename, base64 content, content type, content id and disposition', async () => {
    const requests: { url: string; headers: IncomingMessage['headers']; body: MailroomSendBody }[] = [];
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      requests.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: '01ATTACH', status: 'queued', rejected: [] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const folder = await mkdtemp(join('.tmp', 'attachments-'));
    try {
      const file = join(folder, 'terms.txt');
      await writeFile(file, 'Terms.\n');
      const { port } = server.address() as { port: number };
      const transport = nodemailer.createTransport(mailroomTransport({ url: `http://127.0.0.1:${port}`, apiKey: 'mr_test' }));
      const info = await transport.sendMail({
        from: 'a@acme.test',
        to: 'b@example.test',
        subject: 'Files',
        html: '<img src="cid:logo@acme">',
        attachments: [
          { filename: 'invoice.pdf', content: Buffer.from('%PDF-1.7 invoice'), contentType: 'application/pdf' },
          { filename: 'note.txt', content: 'plain text' },
          { path: file },
          { filename: 'logo.png', content: 'iVBORw0KGgo=', encoding: 'base64', cid: 'logo@acme' },
        ],
      });
      expect(info.messageId).toBe('01ATTACH');
      expect(requests).toHaveLength(1);
      expect(requests[0]!.url).toBe('/v1/messages');
      expect(requests[0]!.headers.authorization).toBe('Bearer mr_test');
      expect(requests[0]!.body.attachments).toEqual([
        {
          filename: 'invoice.pdf',
          content: Buffer.from('%PDF-1.7 invoice').toString('base64'),
          content_type: 'application/pdf',
          disposition: 'attachment',
        },
        {
          filename: 'note.txt',
          content: Buffer.from('plain text').toString('base64'),
          content_type: 'text/plain',
          disposition: 'attachment',
        },
        {
          filename: 'terms.txt',
          content: Buffer.from('Terms.\n').toString('base64'),
          content_type: 'text/plain',
          disposition: 'attachment',
        },
        { filename: 'logo.png', content: 'iVBORw0KGgo=', content_type: 'image/png', content_id: 'logo@acme', disposition: 'inline' },
      ]);
    } finally {
      server.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
