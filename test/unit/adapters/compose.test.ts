import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { PoisonMessageError } from '../../../lib/domain/errors.ts';
import type { OutgoingMail } from '../../../lib/ports/mail-relay.ts';
import { composeMime, composerOptions } from '../../../lib/adapters/mime/compose.ts';

function mail(overrides: Partial<OutgoingMail['content']> = {}): OutgoingMail {
  return {
    id: '01COMPOSE0001',
    tenant: 'tenant-a',
    messageIdHeader: '<01COMPOSE0001@mailroom.test>',
    date: new Date('2026-03-04T05:06:07Z'),
    envelope: { from: 'bounce@sender.test', to: ['to@remote.test', 'cc@remote.test', 'secret@remote.test'] },
    content: {
      from: 'Sender Name <sender@sender.test>',
      to: ['"Doe, Jane" <to@remote.test>'],
      cc: ['cc@remote.test'],
      bcc: ['secret@remote.test'],
      replyTo: ['replies@sender.test'],
      subject: 'Grüße from mailroom',
      text: 'plain body',
      html: '<p>html body</p>',
      headers: { 'X-Campaign': 'spring', 'X-Priority-Note': 'ünïcode value' },
      ...overrides,
    },
    tags: {},
  };
}

describe('composeMime', () => {
  it('writes the addresses, subject, ids, date, custom headers and both bodies', async () => {
    const raw = await composeMime(mail());
    const parsed = await simpleParser(raw);

    expect(parsed.from?.value).toEqual([{ name: 'Sender Name', address: 'sender@sender.test' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([{ name: 'Doe, Jane', address: 'to@remote.test' }]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value.map((a) => a.address) : []).toEqual(['cc@remote.test']);
    expect(parsed.replyTo?.value.map((a) => a.address)).toEqual(['replies@sender.test']);
    expect(parsed.subject).toBe('Grüße from mailroom');
    expect(parsed.messageId).toBe('<01COMPOSE0001@mailroom.test>');
    expect(parsed.date?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(parsed.headers.get('x-mailroom-id')).toBe('01COMPOSE0001');
    expect(parsed.headers.get('x-campaign')).toBe('spring');
    // Non-ASCII values travel as RFC 2047 encoded words (mailparser leaves custom ones encoded).
    expect(parsed.headers.get('x-priority-note')).toBe('=?UTF-8?Q?=C3=BCn=C3=AFcode_value?=');
    expect(parsed.text?.trim()).toBe('plain body');
    expect(parsed.html).toContain('<p>html body</p>');
    // Lines end in CRLF, as SMTP and SES expect.
    expect(raw.toString('latin1')).toMatch(/^[^\n]*\r\n/);
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
  });

  it('never writes Bcc into the message', async () => {
    const raw = await composeMime(mail());
    const parsed = await simpleParser(raw);

    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(raw.toString('latin1')).not.toContain('secret@remote.test');
  });

  it('cannot be made to emit extra headers through CR/LF in a custom header value', async () => {
    // Validation refuses control characters before this point; the composer must still
    // not turn them into header breaks. nodemailer replaces CR and LF with spaces.
    const raw = await composeMime(
      mail({ headers: { 'X-Note': 'first\r\nBcc: injected@evil.test\r\nX-Injected: yes', 'X-Other': 'a\nb' } }),
    );
    const parsed = await simpleParser(raw);
    const head = raw.toString('latin1').split('\r\n\r\n')[0]!;

    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.headers.has('x-injected')).toBe(false);
    expect(head.split('\r\n').filter((line) => /^(bcc|x-injected):/i.test(line))).toEqual([]);
    expect(parsed.headers.get('x-note')).toBe('first Bcc: injected@evil.test X-Injected: yes');
    expect(parsed.headers.get('x-other')).toBe('a b');
  });

  it('keeps the mailroom id even when a custom header tries to replace it', async () => {
    const parsed = await simpleParser(await composeMime(mail({ headers: { 'X-Mailroom-Id': 'forged' } })));
    expect(parsed.headers.get('x-mailroom-id')).toBe('01COMPOSE0001');
  });

  it('leaves out Cc and Reply-To when there are none, and sends text alone', async () => {
    const parsed = await simpleParser(await composeMime(mail({ cc: [], replyTo: [], html: undefined })));
    expect(parsed.cc).toBeUndefined();
    expect(parsed.replyTo).toBeUndefined();
    expect(parsed.html).toBe(false);
    expect(parsed.text?.trim()).toBe('plain body');
  });

  it('composes with file and URL access disabled, which nodemailer enforces', async () => {
    const options = composerOptions(mail());
    expect(options).toMatchObject({ disableFileAccess: true, disableUrlAccess: true });
    // Content is always a string today; should a path or URL ever reach the composer,
    // these flags make it fail instead of reading the file or fetching the URL.
    const fromFile = new MailComposer({ ...options, text: { path: '/etc/passwd' } }).compile().build();
    await expect(fromFile).rejects.toMatchObject({ code: 'EFILEACCESS' });
    const fromUrl = new MailComposer({ ...options, html: { href: 'http://127.0.0.1:9/' } }).compile().build();
    await expect(fromUrl).rejects.toMatchObject({ code: 'EURLACCESS' });
  });

  it('turns a composition failure into PoisonMessageError', async () => {
    // nodemailer itself would write `Date: Invalid Date`; composeMime refuses instead.
    const broken = { ...mail(), date: new Date(Number.NaN) };
    await expect(composeMime(broken)).rejects.toThrow(PoisonMessageError);
  });

  it('attaches files byte for byte in base64, an inline one with its Content-ID beside the html', async () => {
    const everyByte = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const text = Buffer.from('line one\nline two\r\nno newline at the end', 'utf8');
    const raw = await composeMime({
      ...mail({ html: '<p>Logo: <img src="cid:logo@acme"></p>' }),
      attachments: [
        { filename: 'bytes.bin', contentType: 'application/octet-stream', disposition: 'attachment', content: everyByte },
        { filename: 'Prüfbericht März.txt', contentType: 'text/plain', disposition: 'attachment', content: text },
        {
          filename: 'logo.png',
          contentType: 'image/png',
          disposition: 'inline',
          contentId: 'logo@acme',
          content: everyByte.subarray(0, 64),
        },
      ],
    });
    // skipImageLinks: mailparser would otherwise replace cid: links with data: URLs.
    const parsed = await simpleParser(raw, { skipImageLinks: true });
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.contentDisposition, sha(a.content)])).toEqual([
      ['logo.png', 'image/png', 'inline', sha(everyByte.subarray(0, 64))],
      ['bytes.bin', 'application/octet-stream', 'attachment', sha(everyByte)],
      ['Prüfbericht März.txt', 'text/plain', 'attachment', sha(text)],
    ]);
    expect(parsed.attachments[0]).toMatchObject({ contentId: '<logo@acme>', cid: 'logo@acme', related: true });
    expect(parsed.html).toContain('cid:logo@acme');
    expect(raw.toString('latin1')).toMatch(/Content-Type: multipart\/related/);
    expect(
      raw
        .toString('latin1')
        .split('\r\n')
        .every((line) => line.length <= 998),
    ).toBe(true);
  });
});
