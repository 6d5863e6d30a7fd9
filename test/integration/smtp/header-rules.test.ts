/**
 * What SMTP submission does with the header block it is given, through the real service and
 * pipeline: fields that may appear once, line ends, text that is not UTF-8, headers Amazon SES
 * would act on, and the header mailroom adds.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { MAILROOM_ID_HEADER } from '../../../lib/domain/message.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import {
  deliveredCopy,
  devSmtpAuth,
  queuedId,
  smtpClient,
  storedSubmissions,
  submitRaw,
  type SmtpAuth,
} from '../../support/smtp-client.ts';

let runtime: LocalRuntime;
let auth: SmtpAuth;

beforeAll(async () => {
  runtime = await startPipeline({ smtp: { port: 0, securePort: 0 }, log: memoryLog() });
  auth = await devSmtpAuth(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

const envelope = { from: 'app@example.com', to: ['to@example.org'] };

async function compose(headers: Record<string, string> = {}): Promise<string> {
  const built = await new MailComposer({ from: 'app@example.com', to: 'to@example.org', subject: 'Rules', text: 'Hi', headers })
    .compile()
    .build();
  return built.toString('utf8');
}

/** `message` with `lines` (each ending in CRLF) put at the top of its header block. */
const withTop = (message: string, lines: string) => Buffer.from(`${lines}${message}`, 'utf8');

describe('fields that may appear once', () => {
  it.each([
    ['From', 'From: other@elsewhere.example\r\n'],
    ['Sender', 'Sender: a@example.com\r\nSender: b@example.com\r\n'],
    ['To', 'To: second@example.org\r\n'],
    ['Subject', 'Subject: Another subject\r\n'],
    ['Message-ID', 'Message-ID: <second@example.com>\r\n'],
    ['Date', 'Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n'],
    ['Cc', 'Cc: a@example.org\r\ncc: b@example.org\r\n'],
    ['Reply-To', 'Reply-To: a@example.org\r\nREPLY-TO: b@example.org\r\n'],
  ])('refuses a message with two %s headers with 550 5.6.0, and queues nothing', async (name, lines) => {
    const raw = withTop(await compose(), lines);
    const transport = smtpClient(runtime.smtp!.port, auth);
    const stored = storedSubmissions(runtime).length;
    await expect(transport.sendMail({ envelope, raw })).rejects.toMatchObject({
      code: 'EMESSAGE',
      responseCode: 550,
      response: `550 5.6.0 The message has more than one ${name} header`,
    });
    expect(storedSubmissions(runtime)).toHaveLength(stored);
    // The session goes on: a well-formed message is taken.
    const info = await transport.sendMail({ envelope, raw: Buffer.from(await compose()) });
    expect(info.accepted).toEqual(['to@example.org']);
  });

  it('counts a field written in another case or with space before the colon', async () => {
    const raw = withTop(await compose(), 'FROM : other@elsewhere.example\r\n');
    await expect(smtpClient(runtime.smtp!.port, auth).sendMail({ envelope, raw })).rejects.toMatchObject({
      responseCode: 550,
      response: '550 5.6.0 The message has more than one From header',
    });
  });
});

describe('line ends in the header block', () => {
  it.each([
    ['bare LF', 'X-Note: a\nBcc: hidden@example.net\r\n', 'LF'],
    ['bare CR', 'X-Note: a\rBcc: hidden@example.net\r\n', 'CR'],
    ['bare LF ending the block', null, 'LF'],
  ])('refuses a %s with 550 5.6.0, and queues nothing', async (_name, lines, what) => {
    const message = await compose();
    const raw = lines === null ? Buffer.from(message.replace('\r\n\r\n', '\r\n\n')) : withTop(message, lines);
    const stored = storedSubmissions(runtime).length;
    const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, raw);
    expect(reply).toBe(`550 5.6.0 A header line ends in a bare ${what}: header lines must end with CRLF`);
    expect(storedSubmissions(runtime)).toHaveLength(stored);
  });

  it('takes a body with bare LF line ends (only the header block is held to CRLF)', async () => {
    const raw = Buffer.from(`${await compose()}\nsecond line\nthird\n`);
    const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, raw);
    expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const copy = await deliveredCopy(runtime, queuedId(reply));
    expect(copy.text).toMatch(/second line\r?\nthird/);
  });
});

describe('header text that is not UTF-8', () => {
  /** The composed message with its Subject line replaced by `subject` (bytes as given). */
  const withSubject = async (subject: Buffer) => {
    const [head, ...rest] = (await compose()).split(/^Subject: Rules\r\n/m);
    return Buffer.concat([Buffer.from(head!), Buffer.from('Subject: '), subject, Buffer.from('\r\n'), Buffer.from(rest.join(''))]);
  };

  it('refuses a Subject of raw 8-bit bytes that are not UTF-8 (here Latin-1) with 550 5.6.0, and queues nothing', async () => {
    const stored = storedSubmissions(runtime).length;
    const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, await withSubject(Buffer.from('Caf\xe9 au lait', 'latin1')));
    expect(reply).toBe('550 5.6.0 The Subject header is not valid UTF-8');
    expect(storedSubmissions(runtime)).toHaveLength(stored);
  });

  it('refuses an encoded word that does not decode to text in its charset with 550 5.6.0', async () => {
    const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, await withSubject(Buffer.from('=?UTF-8?B?Q2Fm6Q==?=')));
    expect(reply).toBe('550 5.6.0 The Subject header does not decode to valid text');
  });

  it('refuses any other header that is not UTF-8, naming it', async () => {
    const raw = Buffer.concat([Buffer.from('X-Note: na\xefve\r\n', 'latin1'), Buffer.from(await compose())]);
    const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, raw);
    expect(reply).toBe('550 5.6.0 The X-Note header is not valid UTF-8');
  });

  it('takes raw UTF-8 and encoded words in other charsets, and records the subject as written', async () => {
    for (const [subject, shown] of [
      [Buffer.from('Café 😀 au lait'), 'Café 😀 au lait'],
      [Buffer.from('=?ISO-8859-1?Q?Caf=E9?= au lait'), 'Café au lait'],
    ] as const) {
      const reply = await submitRaw(runtime.smtp!.securePort, auth, envelope, await withSubject(subject));
      expect(reply).toMatch(/^250 /);
      const copy = await deliveredCopy(runtime, queuedId(reply));
      expect(copy.subject).toBe(shown);
      const record = await waitForMessage(runtime, queuedId(reply), () => true);
      expect(record.subject).toBe(shown);
    }
  });
});

describe('headers mailroom does not relay as given', () => {
  it('leaves out X-SES-* headers (Amazon SES would act on them) and a client’s own X-Mailroom-Id, keeping every other byte', async () => {
    const message = await compose({ 'X-Custom': 'kept', 'X-SESSION': 'kept too' });
    const raw = withTop(
      message,
      'X-SES-CONFIGURATION-SET: other-tenant-set\r\nx-ses-message-tags: campaign=theirs,\r\n\tkind=x\r\n' +
        'X-Ses-Source-Arn: arn:aws:ses:eu-west-1:123456789012:identity/other.example\r\nX-Mailroom-Id: 01FORGED\r\n',
    );
    const info = await smtpClient(runtime.smtp!.port, auth).sendMail({ envelope, raw });
    const id = queuedId(info.response);
    const copy = await deliveredCopy(runtime, id);
    expect(copy.raw).not.toMatch(/^x-ses-/im);
    expect(copy.raw).not.toMatch(/kind=x/);
    expect(copy.raw).not.toContain('01FORGED');
    expect(copy.headers.filter(([name]) => name.toLowerCase() === 'x-mailroom-id')).toEqual([[expect.any(String), id]]);
    expect(copy.raw.endsWith(message)).toBe(true);
  });
});

describe('the header that carries mailroom’s id', () => {
  it('is spelled the same on API mail and on SMTP mail, as MAILROOM_ID_HEADER', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', {
      from: 'app@example.com',
      to: 'api@example.org',
      subject: 'API',
      text: 'Hi',
    });
    expect(sent.status).toBe(202);
    const info = await smtpClient(runtime.smtp!.port, auth).sendMail({
      from: 'app@example.com',
      to: 'smtp@example.org',
      subject: 'SMTP',
      text: 'Hi',
    });
    const spelling = async (id: string) => {
      const copy = await deliveredCopy(runtime, id);
      const names = copy.headers.filter(([, value]) => value === id).map(([name]) => name);
      expect(names).toHaveLength(1);
      return names[0];
    };
    const [api, smtp] = [await spelling(sent.body.id), await spelling(queuedId(info.response))];
    expect(api).toBe(MAILROOM_ID_HEADER);
    expect(smtp).toBe(MAILROOM_ID_HEADER);
  });
});
