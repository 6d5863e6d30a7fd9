import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composedSizeEstimate,
  decodeBase64,
  MAX_ATTACHMENTS,
  MAX_MESSAGE_BYTES,
  MAX_UPLOAD_BYTES,
  readAttachments,
} from '../../../lib/domain/attachments.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { filenameProblem, REFUSED_EXTENSIONS } from '../../../lib/domain/file-names.ts';
import { parseUploadRequest } from '../../../lib/domain/uploads.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('decodeBase64', () => {
  it('decodes standard, padded base64, with or without line breaks', () => {
    expect(Buffer.from(decodeBase64(b64('hello!'))!).toString()).toBe('hello!');
    expect(Buffer.from(decodeBase64('aGVs\r\nbG8=')!).toString()).toBe('hello');
    expect(Buffer.from(decodeBase64('aGVs\nbG8=')!).toString()).toBe('hello');
    expect(decodeBase64('')).toHaveLength(0);
  });

  it.each([
    ['missing padding', 'aGVsbG8'],
    ['the URL-safe alphabet', '-_8='],
    ['a stray character', 'aGVs*bG8='],
    ['a space', 'aGVs bG8='],
    ['padding in the middle', 'aGU=bG8='],
    ['non-zero padding bits', 'QR=='],
    ['a data URL', 'data:application/pdf;base64,aGVsbG8='],
  ])('refuses %s', (_, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(decodeBase64(Buffer.from(bytes).toString('base64'))!)).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('filenameProblem', () => {
  it.each(['invoice.pdf', 'Prüfbericht 2026 (final).pdf', '報告書.xlsx', '.profile', 'README', 'a'.repeat(255), 'x.exe.pdf'])(
    'accepts %j',
    (name) => {
      expect(filenameProblem(name)).toBeUndefined();
    },
  );

  it.each<[string, string, RegExp]>([
    ['empty', '', /must not be empty/],
    ['too long', 'a'.repeat(256), /at most 255 characters/],
    ['CR LF', 'a\r\nContent-Type: text/html.pdf', /control characters/],
    ['a NUL', 'a\u0000.pdf', /control characters/],
    ['a C1 control', 'a\u0085.pdf', /control characters/],
    ['a right-to-left override', 'invoice\u202Efdp.exe', /direction/],
    ['a line separator', 'a\u2028b.pdf', /control characters/],
    ['a slash', '../etc/passwd', /must not hold/],
    ['a backslash', 'C:\\boot.ini', /must not hold/],
    ['a colon', 'a.txt:evil', /must not hold/],
    ['a quote', 'a".pdf', /must not hold/],
    ['dot', '.', /is not a file name/],
    ['dot dot', '..', /is not a file name/],
    ['a trailing dot', 'setup.exe.', /end with a dot/],
    ['a trailing space', 'setup.exe ', /space/],
    ['a leading space', ' a.pdf', /space/],
    ['a device name', 'CON', /reserved device name/],
    ['a device name with an extension', 'lpt1.txt', /reserved device name/],
    ['an unpaired surrogate', 'a\ud800.pdf', /Unicode/],
  ])('refuses %s', (_, name, message) => {
    expect(filenameProblem(name)).toMatch(message);
  });

  it('refuses every file type Amazon SES refuses, in any case, naming the file and its type', () => {
    expect(REFUSED_EXTENSIONS).toHaveLength(90);
    for (const extension of REFUSED_EXTENSIONS) {
      expect(filenameProblem(`setup${extension}`)).toBe(
        `"setup${extension}" is a file type mailroom does not send (${extension}): Amazon SES refuses it, and mailroom refuses it with every relay`,
      );
      expect(filenameProblem(`SETUP${extension.toUpperCase()}`)).toMatch(/does not send/);
    }
    expect(filenameProblem('notes.json')).toBeUndefined();
    expect(filenameProblem('jsfile')).toBeUndefined();
  });
});

describe('readAttachments', () => {
  it('decodes content, defaults the disposition from content_id, and keeps what is given', () => {
    const { problems, requests } = readAttachments([
      { filename: 'a.pdf', content: b64('%PDF-1.7') },
      { filename: 'logo.png', content: b64('png'), content_id: 'logo@acme', content_type: 'image/png' },
      { attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N9', filename: 'big.zip', disposition: 'inline' },
      { attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7NA' },
    ]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([
      { source: 'content', filename: 'a.pdf', content: Buffer.from('%PDF-1.7'), disposition: 'attachment' },
      {
        source: 'content',
        filename: 'logo.png',
        content: Buffer.from('png'),
        contentType: 'image/png',
        contentId: 'logo@acme',
        disposition: 'inline',
      },
      { source: 'upload', uploadId: '01JFV4R6Q3Y5W7E9G1H3K5M7N9', filename: 'big.zip', disposition: 'inline' },
      { source: 'upload', uploadId: '01JFV4R6Q3Y5W7E9G1H3K5M7NA', disposition: 'attachment' },
    ]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['invalid base64', { filename: 'a.pdf', content: 'not base64!' }, 'attachments[0].content', /base64/],
    ['no filename with content', { content: b64('x') }, 'attachments[0].filename', /is required/],
    ['neither content nor an id', { filename: 'a.pdf' }, 'attachments[0]', /content \(base64\) or attachment_id/],
    [
      'both content and an id',
      { filename: 'a.pdf', content: 'eA==', attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N9' },
      'attachments[0]',
      /not both/,
    ],
    ['a malformed id', { attachment_id: 'x/../y' }, 'attachments[0].attachment_id', /not an attachment id/],
    ['a refused type', { filename: 'run.bat', content: 'eA==' }, 'attachments[0].filename', /"run\.bat" is a file type/],
    ['a refused type by id', { attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N9', filename: 'x.vbs' }, 'attachments[0].filename', /\.vbs/],
    ['a bad content type', { filename: 'a', content: 'eA==', content_type: 'pdf' }, 'attachments[0].content_type', /media type/],
    ['a multipart type', { filename: 'a', content: 'eA==', content_type: 'multipart/mixed' }, 'attachments[0].content_type', /multipart/],
    [
      'CR LF in a content type',
      { filename: 'a', content: 'eA==', content_type: 'text/plain\r\nX: y' },
      'attachments[0].content_type',
      /media type/,
    ],
    ['angle brackets in a content id', { filename: 'a.png', content: 'eA==', content_id: '<logo>' }, 'attachments[0].content_id', /angle/],
    ['a space in a content id', { filename: 'a.png', content: 'eA==', content_id: 'my logo' }, 'attachments[0].content_id', /angle/],
  ])('reports %s on the attachment', (_, attachment, field, message) => {
    const { problems } = readAttachments([attachment]);
    expect(problems).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('refuses a content id used twice in a message, in any case', () => {
    const { problems } = readAttachments([
      { filename: 'a.png', content: 'eA==', content_id: 'logo' },
      { filename: 'b.png', content: 'eA==', content_id: 'LOGO' },
    ]);
    expect(problems).toEqual([{ field: 'attachments[1].content_id', message: 'is used by another attachment of this message' }]);
  });

  it(`allows at most ${MAX_ATTACHMENTS} attachments`, () => {
    expect(MAX_ATTACHMENTS).toBe(100);
  });
});

describe('composedSizeEstimate', () => {
  it('counts base64 with line breaks, part headers and bodies, never less than the message can be', () => {
    const one = composedSizeEstimate(0, [3 * 1024 * 1024]);
    expect(one).toBeGreaterThan(4 * 1024 * 1024 * (78 / 76));
    expect(composedSizeEstimate(100, [])).toBeGreaterThan(300);
  });

  it(`lets one upload of MAX_UPLOAD_BYTES fit in ${MAX_MESSAGE_BYTES} bytes, and not much more`, () => {
    expect(composedSizeEstimate(256 * 1024, [MAX_UPLOAD_BYTES])).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(composedSizeEstimate(0, [MAX_UPLOAD_BYTES, 2 * 1024 * 1024])).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });
});

describe('parseUploadRequest', () => {
  it('reads a file name, an optional content type and a size', () => {
    expect(parseUploadRequest({ filename: 'report.pdf', size: 12 })).toEqual({ filename: 'report.pdf', size: 12 });
    expect(parseUploadRequest({ filename: 'r', content_type: 'application/pdf', size: 0 })).toEqual({
      filename: 'r',
      contentType: 'application/pdf',
      size: 0,
    });
  });

  it.each<[string, unknown, string]>([
    ['a refused type', { filename: 'x.exe', size: 1 }, 'filename'],
    ['a size over the limit', { filename: 'x.zip', size: MAX_UPLOAD_BYTES + 1 }, 'size'],
    ['a negative size', { filename: 'x.zip', size: -1 }, 'size'],
    ['a fractional size', { filename: 'x.zip', size: 1.5 }, 'size'],
    ['no size', { filename: 'x.zip' }, 'size'],
    ['an unknown field', { filename: 'x.zip', size: 1, content: 'eA==' }, 'content'],
    ['a bad content type', { filename: 'x.zip', size: 1, content_type: 'zip' }, 'content_type'],
  ])('refuses %s', (_, body, field) => {
    try {
      parseUploadRequest(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(((error as ValidationError).details as { field: string }[]).map((p) => p.field)).toContain(field);
    }
  });
});
