/**
 * Attachments through the local runtime: the real API handler stores them (the data folder
 * standing in for S3), the delivery handler composes them into the message, DKIM-signs it and
 * relays it to the capture relay, where it is parsed back with mailparser and compared byte for
 * byte (SHA-256 of every part). Also the upload flow through signed local URLs, tenant
 * isolation of upload ids, refused file types, size limits, batches and idempotent retries.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { MAX_SEND_REQUEST_BYTES } from '../../../lib/topology.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

let runtime: LocalRuntime;
let dataDir: string;
/** The DKIM record mailroom made for files.example, for the verifier's lookups. */
let dkim: { name: string; value: string };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailroom-attachments-test-'));
  runtime = await startPipeline({ dataDir });
  const domain = await call(runtime, 'POST', '/v1/domains', { name: 'files.example' });
  expect(domain.status).toBe(201);
  dkim = domain.body.records.find((r: { purpose: string }) => r.purpose === 'dkim');
});
afterAll(async () => {
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const base = { from: 'Files <files@files.example>', to: 'ann@remote.test', subject: 'Your files', text: 'See the attachments.' };
const b64 = (bytes: Buffer) => bytes.toString('base64');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every byte value, several times over. */
const EVERY_BYTE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
/** A PDF-like file: a text header and trailer around binary streams. */
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 2048 /Filter /FlateDecode >>\nstream\r\n', 'latin1'),
  randomBytes(2048),
  Buffer.from('\r\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
]);
/** A text file with mixed line endings and no newline at the end: delivered unchanged. */
const NOTES = Buffer.from('Grüße\r\nzweite Zeile\nletzte Zeile ohne Umbruch', 'utf8');
const UTF8_NAME = 'Prüfbericht März 2026 – 報告.txt';

/** The message as the capture relay received it, once its status is `sent`, parsed. */
async function delivered(id: string): Promise<{ raw: Buffer; parsed: ParsedMail }> {
  await waitForMessage(runtime, id, (m) => m.status === 'sent');
  const mail = await waitFor(
    () =>
      runtime.capture!.messages().find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id)),
    (found) => found !== undefined,
    { timeout: 10_000, message: `the captured copy of ${id}` },
  );
  const raw = Buffer.from(mail!.raw, 'utf8');
  return { raw, parsed: await simpleParser(raw, { skipImageLinks: true }) };
}

/** Whether an independent verifier accepts the message's DKIM signature, with the key mailroom published. */
async function dkimResult(raw: Buffer): Promise<string | undefined> {
  const resolver = async (name: string, type: string) => {
    if (type === 'TXT' && name.toLowerCase() === dkim.name) return [[dkim.value]];
    throw Object.assign(new Error(`no ${type} record at ${name}`), { code: 'ENOTFOUND' });
  };
  const verified = await dkimVerify(raw, { resolver });
  return verified.results[0]?.status.result;
}

const parts = (parsed: ParsedMail) =>
  parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, sha: sha(a.content) }));

describe('attachments', () => {
  it('arrive byte for byte (every byte value, a PDF-like file, a UTF-8 name), DKIM-signed so that a verifier accepts them', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', {
      ...base,
      html: '<p>See the attachments.</p>',
      attachments: [
        { filename: 'bytes.bin', content: b64(EVERY_BYTE) },
        { filename: 'report.pdf', content: b64(PDF) },
        { filename: UTF8_NAME, content: b64(NOTES), content_type: 'text/plain; charset=utf-8' },
      ],
    });
    expect(sent.status).toBe(202);
    const { raw, parsed } = await delivered(sent.body.id);
    expect(parts(parsed)).toEqual([
      { filename: 'bytes.bin', contentType: 'application/octet-stream', sha: sha(EVERY_BYTE) },
      { filename: 'report.pdf', contentType: 'application/pdf', sha: sha(PDF) },
      { filename: UTF8_NAME, contentType: 'text/plain', sha: sha(NOTES) },
    ]);
    expect(parsed.attachments.map((a) => a.contentDisposition)).toEqual(['attachment', 'attachment', 'attachment']);
    expect(parsed.text?.trim()).toBe('See the attachments.');
    expect(await dkimResult(raw)).toBe('pass');
    expect(
      await dkimResult(Buffer.from(raw.toString('latin1').replace('See the attachments.', 'See the attachment!.'), 'latin1')),
    ).not.toBe('pass');

    const message = await call(runtime, 'GET', `/v1/messages/${sent.body.id}`);
    expect(message.body.attachments).toEqual([
      { filename: 'bytes.bin', content_type: 'application/octet-stream', size: EVERY_BYTE.length, disposition: 'attachment' },
      { filename: 'report.pdf', content_type: 'application/pdf', size: PDF.length, disposition: 'attachment' },
      { filename: UTF8_NAME, content_type: 'text/plain; charset=utf-8', size: NOTES.length, disposition: 'attachment' },
    ]);
    expect(message.body.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sent']);
  });

  it('resolve an inline image the html refers to as cid:', async () => {
    const logo = randomBytes(700);
    const sent = await call(runtime, 'POST', '/v1/messages', {
      ...base,
      html: '<p>Hello <img src="cid:logo@files.example" alt="logo"></p>',
      attachments: [{ filename: 'logo.png', content: b64(logo), content_id: 'logo@files.example' }],
    });
    expect(sent.status).toBe(202);
    const { raw, parsed } = await delivered(sent.body.id);
    const [image] = parsed.attachments;
    expect(image).toMatchObject({
      filename: 'logo.png',
      contentType: 'image/png',
      contentDisposition: 'inline',
      contentId: '<logo@files.example>',
      cid: 'logo@files.example',
      related: true,
    });
    expect(sha(image!.content)).toBe(sha(logo));
    expect(parsed.html).toContain('src="cid:logo@files.example"');
    expect(await dkimResult(raw)).toBe('pass');
  });

  it('upload end to end: POST /v1/attachments, PUT the bytes to upload_url, send by attachment_id, delivered', async () => {
    const file = randomBytes(5 * 1024 * 1024);
    const created = await call(runtime, 'POST', '/v1/attachments', { filename: 'archive.zip', size: file.length });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      upload_url: expect.stringMatching(new RegExp(`^${runtime.apiUrl}/local/uploads/attachments/dev/uploads/`)),
      expires_at: expect.any(String),
      filename: 'archive.zip',
      content_type: 'application/zip',
      size: file.length,
    });
    expect(Date.parse(created.body.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);

    // Sent before its bytes arrived: refused, naming the attachment.
    const early = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ attachment_id: created.body.id }] });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 'attachment_not_uploaded', details: [{ field: 'attachments[0].attachment_id' }] });

    // The link takes exactly the size it was made for.
    const short = await fetch(created.body.upload_url, { method: 'PUT', body: file.subarray(1) });
    expect(short.status).toBe(400);
    const forged = await fetch(created.body.upload_url.replace(/size=\d+/, 'size=1'), { method: 'PUT', body: file.subarray(0, 1) });
    expect(forged.status).toBe(403);
    const put = await fetch(created.body.upload_url, { method: 'PUT', body: file });
    expect(put.status).toBe(200);

    const sent = await call(runtime, 'POST', '/v1/messages', {
      ...base,
      attachments: [
        { attachment_id: created.body.id, filename: 'Quartal 1.zip' },
        { filename: 'a.txt', content: b64(NOTES) },
      ],
    });
    expect(sent.status).toBe(202);
    const { raw, parsed } = await delivered(sent.body.id);
    expect(parts(parsed)).toEqual([
      { filename: 'Quartal 1.zip', contentType: 'application/zip', sha: sha(file) },
      { filename: 'a.txt', contentType: 'text/plain', sha: sha(NOTES) },
    ]);
    expect(await dkimResult(raw)).toBe('pass');
  });

  it("refuse another tenant's upload id, naming it, while its own tenant still sends it", async () => {
    const upload = await call(runtime, 'POST', '/v1/attachments', { filename: 'private.pdf', size: PDF.length });
    expect((await fetch(upload.body.upload_url, { method: 'PUT', body: PDF })).status).toBe(200);
    expect((await call(runtime, 'POST', '/v1/tenants', { id: 'other', name: 'Other' })).status).toBe(201);
    const key = await call(runtime, 'POST', '/v1/tenants/other/keys', { scopes: ['send', 'read'] });
    const other = { authorization: `Bearer ${key.body.key}` };

    const stolen = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ attachment_id: upload.body.id }] }, other);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toMatchObject({ code: 'attachment_not_found', details: [{ field: 'attachments[0].attachment_id' }] });
    expect(stolen.body.error.message).toContain(upload.body.id);

    const own = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ attachment_id: upload.body.id }] });
    expect(own.status).toBe(202);
    expect(parts((await delivered(own.body.id)).parsed)).toEqual([
      { filename: 'private.pdf', contentType: 'application/pdf', sha: sha(PDF) },
    ]);
  });

  it('refuse file types Amazon SES refuses with a 400 naming the file, whatever the relay', async () => {
    const inline = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ filename: 'setup.EXE', content: 'TVo=' }] });
    expect(inline.status).toBe(400);
    expect(inline.body.error.details).toEqual([{ field: 'attachments[0].filename', message: expect.stringContaining('"setup.EXE"') }]);
    const upload = await call(runtime, 'POST', '/v1/attachments', { filename: 'install.js', size: 10 });
    expect(upload.status).toBe(400);
    expect(upload.body.error.details).toEqual([{ field: 'filename', message: expect.stringContaining('"install.js"') }]);
    const renamed = await call(runtime, 'POST', '/v1/messages', {
      ...base,
      attachments: [{ attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N9', filename: 'run.bat' }],
    });
    expect(renamed.body.error.details).toEqual([{ field: 'attachments[0].filename', message: expect.stringContaining('.bat') }]);
  });

  it('answer 413 for a send body over the limit, saying how to upload instead', async () => {
    const big = randomBytes(Math.ceil((MAX_SEND_REQUEST_BYTES * 3) / 4));
    const answer = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ filename: 'big.bin', content: b64(big) }] });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'payload_too_large', details: { limit_bytes: MAX_SEND_REQUEST_BYTES } });
    expect(answer.body.error.message).toContain('POST /v1/attachments');
    // Just under the limit, files travel inline.
    const fits = randomBytes(Math.floor((MAX_SEND_REQUEST_BYTES - 2048) * 0.75));
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, attachments: [{ filename: 'fits.bin', content: b64(fits) }] });
    expect(sent.status).toBe(202);
    expect(parts((await delivered(sent.body.id)).parsed)[0]?.sha).toBe(sha(fits));
  });

  it('go with each message of a batch, a bad one refused on its own', async () => {
    const answer = await call(runtime, 'POST', '/v1/messages/batch', {
      messages: [
        { ...base, attachments: [{ filename: 'one.bin', content: b64(EVERY_BYTE) }] },
        { ...base, attachments: [{ filename: 'two.bin', content: 'not base64' }] },
        { ...base, to: 'bob@remote.test', attachments: [{ filename: 'three.pdf', content: b64(PDF) }] },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.results.map((r: { status_code: number }) => r.status_code)).toEqual([202, 400, 202]);
    expect(answer.body.results[1].error.details).toEqual([{ field: 'attachments[0].content', message: expect.stringMatching(/base64/) }]);
    expect(parts((await delivered(answer.body.results[0].id)).parsed)).toEqual([
      { filename: 'one.bin', contentType: 'application/octet-stream', sha: sha(EVERY_BYTE) },
    ]);
    expect(parts((await delivered(answer.body.results[2].id)).parsed)).toEqual([
      { filename: 'three.pdf', contentType: 'application/pdf', sha: sha(PDF) },
    ]);
  });

  it('are stored once for an idempotent request retried, and delivered once', async () => {
    const headers = { 'idempotency-key': `attachments-${randomBytes(4).toString('hex')}` };
    const body = { ...base, attachments: [{ filename: 'once.pdf', content: b64(PDF) }] };
    const first = await call(runtime, 'POST', '/v1/messages', body, headers);
    const retry = await call(runtime, 'POST', '/v1/messages', body, headers);
    expect(retry.body).toEqual(first.body);
    expect(readdirSync(join(dataDir, 'attachments', 'dev', first.body.id))).toEqual(['0']);

    const upload = { filename: 'again.zip', size: 3 };
    const made = await call(runtime, 'POST', '/v1/attachments', upload, headers);
    expect(made.status).toBe(409);
    const uploadHeaders = { 'idempotency-key': `${headers['idempotency-key']}-upload` };
    const once = await call(runtime, 'POST', '/v1/attachments', upload, uploadHeaders);
    const twice = await call(runtime, 'POST', '/v1/attachments', upload, uploadHeaders);
    expect(twice.body).toEqual(once.body);

    await delivered(first.body.id);
    await settled(runtime);
    const copies = runtime.capture!.messages().filter((m) => m.headers.some(([, value]) => value === first.body.id));
    expect(copies).toHaveLength(1);
  });
});
