/**
 * SMTP submission through the local runtime and the real pipeline: nodemailer submits to the
 * service, DynamoDB Local and the SQS emulator carry the message, and the capture relay
 * receives what delivery sends.
 */
import { connect as tlsConnect } from 'node:tls';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { SMTPTransportOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDomainStore } from '../../../lib/adapters/dynamodb/domain-store.ts';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/suppression-store.ts';
import { VerifiedDomainPolicy } from '../../../lib/use-cases/sender-policy.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import type { SendQueue } from '../../../lib/ports/send-queue.ts';
import { startSmtpService } from '../../../lib/smtp/server.ts';
import { selfSignedTls } from '../../../lib/local/smtp-tls.ts';
import { TABLE_ENV } from '../../../lib/topology.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { startPipeline, waitForMessage } from '../../support/pipeline.ts';
import {
  deliveredCopy as sharedDeliveredCopy,
  devSmtpAuth,
  queuedId,
  smtpClient,
  storedSubmissions,
  type SmtpAuth,
} from '../../support/smtp-client.ts';
import { waitFor } from '../../support/wait.ts';

let runtime: LocalRuntime;
const log = memoryLog();
let auth: SmtpAuth;

beforeAll(async () => {
  runtime = await startPipeline({ smtp: { port: 0, securePort: 0 }, log });
  auth = await devSmtpAuth(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

/** A one-connection client; STARTTLS on the plain port unless told otherwise. */
const client = (options: Partial<SMTPTransportOptions> = {}) => smtpClient(runtime.smtp!.port, auth, options);

async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

const deliveredCopy = (id: string) => sharedDeliveredCopy(runtime, id);
const rawFolderEntries = () => storedSubmissions(runtime);

describe('SMTP submission', () => {
  it('takes STARTTLS + AUTH PLAIN, keeps Bcc in the envelope only, and relays the submitted bytes with only Message-ID, Date and X-Mailroom-ID added', async () => {
    const submitted = await compose({
      from: 'App <app@example.com>',
      to: 'to@example.org',
      cc: 'cc@example.org',
      subject: 'Over SMTP',
      text: 'Hello over SMTP.\r\n.\r\nA line with a lone dot above.',
      headers: { 'X-Custom': 'kept' },
    });
    // The message has no Message-ID or Date of its own: mailroom adds them.
    const bare = Buffer.from(
      submitted
        .toString('utf8')
        .replace(/^Message-ID: .*\r\n/im, '')
        .replace(/^Date: .*\r\n/im, ''),
    );
    const info = await client({ authMethod: 'PLAIN' }).sendMail({
      envelope: { from: 'app@example.com', to: ['to@example.org', 'cc@example.org', 'hidden@example.org'] },
      raw: bare,
    });
    expect(info.accepted).toHaveLength(3);
    const id = queuedId(info.response);
    const copy = await deliveredCopy(id);

    expect(copy.envelopeTo.sort()).toEqual(['cc@example.org', 'hidden@example.org', 'to@example.org']);
    expect(copy.raw).not.toMatch(/^bcc:/im);
    expect(copy.raw.endsWith(bare.toString('utf8'))).toBe(true);
    const added = copy.raw.slice(0, copy.raw.length - bare.length);
    expect(added).toMatch(/^X-Mailroom-ID: \w+\r\nMessage-ID: <[^>]+>\r\nDate: [^\r\n]+\r\n$/);

    const record = await waitForMessage(runtime, id, () => true);
    expect(copy.messageId).toBe(record.message_id_header);
    expect(record.subject).toBe('Over SMTP');
    expect(record.recipients.map((r: { email: string; kind: string }) => [r.email, r.kind]).sort()).toEqual([
      ['cc@example.org', 'cc'],
      ['hidden@example.org', 'bcc'],
      ['to@example.org', 'to'],
    ]);
  });

  it('takes AUTH LOGIN, and leaves out a Bcc header the client wrote', async () => {
    const composed = await compose({ from: 'app@example.com', to: 'to@example.org', subject: 'Login', text: 'Hi' });
    // Some clients write Bcc into the message; this one folds it over two lines.
    const submitted = Buffer.from(composed.toString().replace(/^(To: .*\r\n)/m, '$1Bcc: secret@example.org,\r\n other@example.org\r\n'));
    expect(submitted.toString()).toMatch(/^Bcc: secret@example.org,\r\n other/m);
    const info = await client({ authMethod: 'LOGIN' }).sendMail({
      envelope: { from: 'app@example.com', to: ['to@example.org', 'secret@example.org'] },
      raw: submitted,
    });
    const copy = await deliveredCopy(queuedId(info.response));
    expect(copy.envelopeTo.sort()).toEqual(['secret@example.org', 'to@example.org']);
    expect(copy.raw).not.toMatch(/^bcc:/im);
    // Its own Message-ID and Date are kept; only the tracking header is added.
    expect(copy.raw.endsWith(composed.toString())).toBe(true);
    expect(copy.raw).not.toContain('other@example.org');
  });

  it('takes implicit TLS on the secure port', async () => {
    const info = await client({ port: runtime.smtp!.securePort, secure: true, requireTLS: false }).sendMail({
      from: 'app@example.com',
      to: 'tls@example.org',
      subject: 'TLS',
      text: 'Hi',
    });
    const copy = await deliveredCopy(queuedId(info.response));
    expect(copy.envelopeTo).toEqual(['tls@example.org']);
  });

  it('answers 535 to a wrong password, 538 to AUTH before STARTTLS and 530 to MAIL without AUTH', async () => {
    const mail = { from: 'app@example.com', to: 'x@example.org', subject: 'No', text: 'No' };
    await expect(client({ auth: { user: auth.user, pass: `${auth.pass.slice(0, -1)}x` } }).sendMail(mail)).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
      response: expect.stringContaining('5.7.8'),
    });
    await expect(client({ requireTLS: false, ignoreTLS: true }).sendMail(mail)).rejects.toMatchObject({ responseCode: 538 });
    await expect(client({ auth: undefined }).sendMail(mail)).rejects.toMatchObject({
      responseCode: 530,
      response: expect.stringContaining('5.7.0 Authentication required'),
    });
  });

  it('refuses a suppressed recipient at RCPT TO and delivers to the others', async () => {
    const suppressions = new DynamoSuppressionStore(runtime.dynamo, runtime.env[TABLE_ENV.suppressions]!);
    await suppressions.put({ tenant: 'dev', email: 'gone@example.org', reason: 'hard_bounce', createdAt: new Date().toISOString() });
    const info = await client().sendMail({
      from: 'app@example.com',
      to: ['gone@example.org', 'here@example.org'],
      subject: 'Some',
      text: 'Hi',
    });
    expect(info.rejected).toEqual(['gone@example.org']);
    expect(info.rejectedErrors?.[0]?.response).toBe('550 5.7.1 <gone@example.org> is on the suppression list');
    const copy = await deliveredCopy(queuedId(info.response));
    expect(copy.envelopeTo).toEqual(['here@example.org']);
    await expect(client().sendMail({ from: 'app@example.com', to: 'gone@example.org', subject: 'None', text: 'Hi' })).rejects.toMatchObject(
      { code: 'EENVELOPE', responseCode: 550 },
    );
  });

  it('answers 451 while the queue is down, leaves nothing that would deliver, and queues the retry', async () => {
    const deps = runtime.smtp!.deps;
    const queue = deps.queue;
    const down: SendQueue = {
      enqueue: async () => Promise.reject(new Error('queue unavailable')),
      deadLetter: (job, reason) => queue.deadLetter(job, reason),
    };
    const before = rawFolderEntries().length;
    deps.queue = down;
    const transport = client();
    const mail = { from: 'app@example.com', to: 'retry@example.org', subject: 'Retry', text: 'Hi', messageId: '<retry-1@example.com>' };
    try {
      await expect(transport.sendMail(mail)).rejects.toMatchObject({
        code: 'EMESSAGE',
        responseCode: 451,
        response: expect.stringContaining('4.3.0'),
      });
    } finally {
      deps.queue = queue;
    }
    expect(rawFolderEntries()).toHaveLength(before);
    const info = await transport.sendMail(mail);
    const copy = await deliveredCopy(queuedId(info.response));
    expect(copy.messageId).toBe('<retry-1@example.com>');
    expect(runtime.capture!.messages().filter((m) => m.messageId === '<retry-1@example.com>')).toHaveLength(1);
  });

  it('refuses a sender whose domain the tenant has not verified with 550 5.7.1 at MAIL FROM, and stores nothing', async () => {
    const deps = runtime.smtp!.deps;
    const before = rawFolderEntries().length;
    // The policy that MAILROOM_VERIFIED_DOMAINS=required wires, on the real domains table (the dev tenant has no domain there).
    deps.senders = new VerifiedDomainPolicy(new DynamoDomainStore(runtime.dynamo, runtime.env[TABLE_ENV.domains]!), {
      now: () => new Date(),
    });
    try {
      const refused = client().sendMail({ from: 'app@unverified.example', to: 'to@example.org', subject: 'Not yet', text: 'Hi' });
      await expect(refused).rejects.toMatchObject({
        code: 'EENVELOPE',
        responseCode: 550,
        response: expect.stringMatching(/5\.7\.1 .*unverified\.example.*not verified/),
      });
    } finally {
      delete deps.senders;
    }
    expect(rawFolderEntries()).toHaveLength(before);
  });

  it('refuses with 553 5.1.3 a recipient the relay would not reach as written (here SMTPUTF8), and delivers to the others', async () => {
    const transport = client();
    const info = await transport.sendMail({
      from: 'app@example.com',
      envelope: { from: 'app@example.com', to: ['jöe@example.org', 'fine@example.org'] },
      to: 'fine@example.org',
      subject: 'Quoted',
      text: 'Hi',
    });
    expect(info.rejected).toEqual(['jöe@example.org']);
    expect(info.rejectedErrors?.[0]).toMatchObject({ responseCode: 553, response: expect.stringContaining('5.1.3') });
    const copy = await deliveredCopy(queuedId(info.response));
    expect(copy.envelopeTo).toEqual(['fine@example.org']);
  });

  it('queues nothing when the client goes away in the middle of DATA', async () => {
    const before = rawFolderEntries().length;
    const captured = runtime.capture!.messages().length;
    const socket = tlsConnect({ host: '127.0.0.1', port: runtime.smtp!.securePort, rejectUnauthorized: false });
    let received = '';
    const reply = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (received.includes(text) ? (socket.off('data', onData), resolve()) : undefined);
        const onData = (chunk: Buffer) => ((received += chunk.toString()), check());
        socket.on('data', onData);
        socket.once('error', reject);
        check();
      });
    await reply('220 ');
    socket.write('EHLO client.example\r\n');
    await reply('250 ');
    socket.write(`AUTH PLAIN ${Buffer.from(`\0${auth.user}\0${auth.pass}`).toString('base64')}\r\n`);
    await reply('235 ');
    socket.write('MAIL FROM:<app@example.com>\r\nRCPT TO:<cut@example.org>\r\nDATA\r\n');
    await reply('354 ');
    socket.write(`From: app@example.com\r\nTo: cut@example.org\r\nSubject: Cut\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(2000));
    const left = log.lines.length;
    socket.destroy();
    const logged = await waitFor(
      () => log.lines.slice(left).map((l) => l.message),
      (messages) => messages.includes('client left during DATA; nothing queued'),
      { interval: 20, message: 'the service to log that the client left during DATA' },
    );
    expect(logged).toContain('client left during DATA; nothing queued');
    expect(rawFolderEntries()).toHaveLength(before);
    expect(rawFolderEntries().filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(
      log.lines.some((l) => l.message === 'submission accepted' && l.extra?.recipients === 1 && JSON.stringify(l.extra).includes('cut')),
    ).toBe(false);
    expect(runtime.capture!.messages().length).toBe(captured);
  });

  it('answers 552 5.3.4 to a message over the size limit, counted while it streams', async () => {
    const small = await startSmtpService(runtime.smtp!.deps, {
      port: 0,
      securePort: 0,
      host: '127.0.0.1',
      tls: await selfSignedTls(),
      maxMessageBytes: 64 * 1024,
    });
    try {
      const before = rawFolderEntries().length;
      const transport = client({ port: small.port });
      // No SIZE parameter: the limit is found while the message streams.
      const raw = await compose({ from: 'app@example.com', to: 'big@example.org', subject: 'Big', text: 'y'.repeat(200 * 1024) });
      await expect(transport.sendMail({ envelope: { from: 'app@example.com', to: ['big@example.org'] }, raw })).rejects.toMatchObject({
        responseCode: 552,
        response: '552 5.3.4 Message exceeds the maximum size of 65536 bytes',
      });
      expect(rawFolderEntries()).toHaveLength(before);
      // The session is still usable.
      const info = await transport.sendMail({ from: 'app@example.com', to: 'small@example.org', subject: 'Small', text: 'ok' });
      expect(info.accepted).toEqual(['small@example.org']);
    } finally {
      await small.stop();
    }
  });

  it('delivers a 30 MB message', async () => {
    const attachment = Buffer.alloc(22 * 1024 * 1024, 7);
    for (let i = 0; i < attachment.length; i += 4096) attachment[i] = i % 251;
    const raw = await compose({
      from: 'app@example.com',
      to: 'large@example.org',
      subject: 'Large',
      text: 'Attached.',
      attachments: [{ filename: 'data.bin', content: attachment }],
    });
    expect(raw.length).toBeGreaterThan(29 * 1024 * 1024);
    const started = Date.now();
    const rssBefore = process.memoryUsage().rss;
    const info = await client().sendMail({ envelope: { from: 'app@example.com', to: ['large@example.org'] }, raw });
    const accepted = Date.now() - started;
    const copy = await deliveredCopy(queuedId(info.response));
    const delivered = Date.now() - started;
    expect(copy.raw.endsWith(raw.toString('utf8'))).toBe(true);
    const grewMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    // One process runs client, service, delivery and capture here; the figures are for the report.
    console.info(`30 MB over SMTP: accepted in ${accepted} ms, delivered in ${delivered} ms, RSS grew ${grewMb.toFixed(0)} MB`);
    expect(accepted).toBeLessThan(15_000);
  }, 60_000);
});
