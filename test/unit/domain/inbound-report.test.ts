/** Reading what came back to the return path: real DSNs, ARF reports, plain bounces and automatic replies. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '../../../lib/adapters/mime/inbound-parser.ts';
import { classifyDsnFailure } from '../../../lib/domain/bounce-classification.ts';
import type { InboundMail } from '../../../lib/domain/inbound-mail.ts';
import { fieldBlocks, originalReturnPaths, readInboundReport } from '../../../lib/domain/inbound-report.ts';
import { INBOUND_FIXTURES, inboundFixture } from '../../fixtures/inbound/sources.ts';

describe('readInboundReport on real mail', () => {
  for (const fixture of INBOUND_FIXTURES) {
    it(`${fixture.from} (${fixture.file}) is read as ${fixture.expect.kind}`, async () => {
      const report = readInboundReport(await parseInboundMail(inboundFixture(fixture.file)));
      const { expect: wanted } = fixture;
      switch (wanted.kind) {
        case 'bounced': {
          expect(report).toMatchObject({ kind: 'bounce', format: wanted.format });
          if (report.kind !== 'bounce') return;
          const [first] = report.recipients;
          expect(first?.action).toBe('failed');
          const classified = classifyDsnFailure(first?.status, first?.diagnostic);
          expect({ type: classified.type, category: classified.category }).toEqual({ type: wanted.type, category: wanted.category });
          expect(classified.explanation.length).toBeGreaterThan(10);
          break;
        }
        case 'deferred':
          expect(report).toMatchObject({ kind: 'bounce', recipients: [{ action: 'delayed', status: '4.5.0' }] });
          break;
        case 'complained':
          expect(report).toMatchObject({ kind: 'complaint', feedbackType: wanted.feedbackType });
          break;
        case 'auto_reply':
          expect(report).toEqual({ kind: 'auto_reply' });
          break;
      }
    });
  }

  it('reads every recipient block of a DSN with its status and diagnostic', async () => {
    const report = readInboundReport(await parseInboundMail(inboundFixture('microsoft-recipient-not-found.eml')));
    expect(report).toEqual({
      kind: 'bounce',
      format: 'dsn',
      recipients: [
        {
          action: 'failed',
          finalRecipient: 'kijitora-nyaan@neko.kyoto.example.jp',
          status: '5.1.10',
          diagnostic: 'smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        },
      ],
    });
  });

  it("quotes the reply of a plain bounce from its own text, not from the returned message's", async () => {
    const report = readInboundReport(await parseInboundMail(inboundFixture('exim-user-unknown.eml')));
    expect(report).toMatchObject({
      recipients: [
        { finalRecipient: 'kijitora@example.jp', status: '5.1.1', diagnostic: '550 5.1.1 <kijitora@example.jp>... User Unknown' },
      ],
    });
    const qmail = readInboundReport(await parseInboundMail(inboundFixture('qmail-unknown-user.eml')));
    expect(qmail).toMatchObject({ recipients: [{ status: '5.5.0', diagnostic: '550 Unknown user kijitora@example.ne.jp' }] });
  });

  it("finds the envelope sender of a complaint's original message", async () => {
    const raw = inboundFixture('yahoo-feedback-loop.eml');
    const mail = await parseInboundMail(raw);
    expect(originalReturnPaths(raw.toString('latin1'))).toEqual(['shironeko@example.com']);
    expect(readInboundReport(mail)).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      userAgent: 'Yahoo!-Mail-Feedback/1.0',
      originalRecipient: 'this-local-part-does-not-exist-on-yahoo@yahoo.com',
    });
  });
});

describe('field blocks', () => {
  it('unfold continuation lines and keep the first of a repeated field', () => {
    expect(
      fieldBlocks('Reporting-MTA: dns; a\r\n\r\nAction: failed\r\nDiagnostic-Code: smtp; 550\r\n  5.1.1 gone\r\nAction: x\r\n'),
    ).toEqual([
      new Map([['reporting-mta', 'dns; a']]),
      new Map([
        ['action', 'failed'],
        ['diagnostic-code', 'smtp; 550 5.1.1 gone'],
      ]),
    ]);
  });
});

describe('classifyDsnFailure', () => {
  it('takes permanence from the status and the category from the diagnostic', () => {
    expect(classifyDsnFailure('5.1.1', 'smtp; 550 5.1.1 user unknown')).toMatchObject({ type: 'hard', category: 'no_such_mailbox' });
    expect(classifyDsnFailure('4.4.7', 'smtp;550 4.4.7 QUEUE.Expired; message expired')).toMatchObject({ type: 'soft' });
    expect(classifyDsnFailure('5.2.2', 'smtp;550 5.2.2 Mailbox Full')).toMatchObject({ type: 'soft', category: 'mailbox_full' });
    expect(classifyDsnFailure(undefined, undefined)).toMatchObject({ type: 'soft', category: 'other', diagnostic: 'no diagnostic given' });
  });
});

describe('robustness', () => {
  const mail = (text: string, subject: string, parts: string[]): InboundMail => ({
    subject,
    to: [],
    cc: [],
    headers: [],
    contentType: 'multipart/report',
    text,
    attachments: parts.map((content, i) => ({
      contentType: ['message/delivery-status', 'message/feedback-report', 'message/rfc822'][i % 3]!,
      content: Buffer.from(content),
    })),
  });

  it('reads any text as some report without throwing, and the envelope senders of any bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.string({ maxLength: 60 }),
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 3 }),
        (text, subject, parts) => {
          const report = readInboundReport(mail(text, subject, parts));
          expect(['bounce', 'complaint', 'auto_reply', 'other']).toContain(report.kind);
          expect(Array.isArray(originalReturnPaths(text))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
