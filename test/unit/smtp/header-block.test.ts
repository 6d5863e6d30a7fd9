import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerBlockEnd, headerBlockProblem, headerFields, withoutDroppedFields } from '../../../lib/smtp/header-block.ts';

const b = (text: string) => Buffer.from(text, 'utf8');

describe('headerBlockEnd', () => {
  it('finds the blank line after CRLF or bare LF headers', () => {
    expect(headerBlockEnd(b('Subject: a\r\nTo: b\r\n\r\nbody'))).toBe('Subject: a\r\nTo: b\r\n\r\n'.length);
    expect(headerBlockEnd(b('Subject: a\nTo: b\n\nbody'))).toBe('Subject: a\nTo: b\n\n'.length);
    expect(headerBlockEnd(b('\r\nbody'))).toBe(2);
  });

  it('says -1 until the blank line has arrived', () => {
    expect(headerBlockEnd(b('Subject: a\r\nTo: b\r\n'))).toBe(-1);
    expect(headerBlockEnd(b('Subject: a\r\n\r'))).toBe(-1);
    expect(headerBlockEnd(b(''))).toBe(-1);
  });
});

describe('headerFields', () => {
  it('keeps continuation lines with their field', () => {
    const fields = headerFields(b('Subject: a\r\n b\r\nTo: x\r\n\r\n'));
    expect(fields.map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['Subject', 'Subject: a\r\n b\r\n'],
      ['To', 'To: x\r\n'],
    ]);
  });
});

describe('headerBlockProblem', () => {
  it('takes CRLF lines, folded fields and repeated fields that may repeat', () => {
    const block = b('Received: a\r\nReceived: b\r\nSubject: a\r\n b\r\nX-Tag: 1\r\nX-Tag: 2\r\nComments: x\r\nComments: y\r\n\r\n');
    expect(headerBlockProblem(block)).toBeUndefined();
    expect(headerBlockProblem(b('\r\n'))).toBeUndefined();
  });

  it('names a bare LF or bare CR, wherever it is', () => {
    expect(headerBlockProblem(b('Subject: a\nTo: b\r\n\r\n'))).toMatch(/bare LF/);
    expect(headerBlockProblem(b('Subject: a\r\n\n'))).toMatch(/bare LF/);
    expect(headerBlockProblem(b('\n'))).toMatch(/bare LF/);
    expect(headerBlockProblem(b('Subject: a\rBcc: x@example.net\r\n\r\n'))).toMatch(/bare CR/);
    expect(headerBlockProblem(b('Subject: a\r\r\n\r\n'))).toMatch(/bare CR/);
  });

  it('names the first field that appears twice, in any case', () => {
    expect(headerBlockProblem(b('From: a@example.com\r\nTo: b@example.org\r\nfrom: c@example.net\r\n\r\n'))).toBe(
      'The message has more than one From header',
    );
    expect(headerBlockProblem(b('message-id: <a@x>\r\nMESSAGE-ID: <b@x>\r\n\r\n'))).toBe('The message has more than one Message-ID header');
  });
});

describe('withoutDroppedFields', () => {
  it('drops Bcc fields, folded or not, in any case, and keeps every other byte', () => {
    const block = b('From: a@example.com\r\nBCC: x@example.org,\r\n\ty@example.org\r\nTo: z@example.org\r\nbcc:w@example.org\r\n\r\n');
    expect(withoutDroppedFields(block).toString()).toBe('From: a@example.com\r\nTo: z@example.org\r\n\r\n');
  });

  it('drops X-SES-* and X-Mailroom-Id fields, in any case, and keeps look-alikes', () => {
    const block = b(
      'X-SES-CONFIGURATION-SET: other\r\nFrom: a@example.com\r\nx-ses-message-tags: a=b,\r\n c=d\r\nX-SESSION: kept\r\n' +
        'x-mailroom-id: 01FORGED\r\nX-Mailroom-Ids: kept\r\n\r\n',
    );
    expect(withoutDroppedFields(block).toString()).toBe('From: a@example.com\r\nX-SESSION: kept\r\nX-Mailroom-Ids: kept\r\n\r\n');
  });

  it('returns the block itself when it has nothing to drop', () => {
    const block = b('From: a@example.com\r\nX-Bcc-Note: kept\r\nX-SES: kept\r\n\r\n');
    expect(withoutDroppedFields(block)).toBe(block);
  });

  it('never touches the other fields (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/);
    const value = fc.stringMatching(/^[ -~]{0,30}$/);
    const field = fc
      .tuple(fc.oneof(name, fc.constantFrom('Bcc', 'bcc', 'BCC', 'X-SES-MESSAGE-TAGS', 'x-ses-a', 'X-Mailroom-Id')), value, fc.boolean())
      .map(([n, v, folded]) => `${n}: ${v}\r\n${folded ? ` more ${v}\r\n` : ''}`);
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), (fields) => {
        const block = b(`${fields.join('')}\r\n`);
        const expected = fields.filter((f) => !/^(bcc|x-mailroom-id|x-ses-[^:]*):/i.test(f)).join('') + '\r\n';
        expect(withoutDroppedFields(block).toString()).toBe(expected);
      }),
    );
  });
});
