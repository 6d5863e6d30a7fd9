import { describe, expect, it } from 'vitest';
import {
  campaignMessageId,
  campaignView,
  emptyProgress,
  parseCampaignJob,
  parseCampaignRequest,
  type CampaignRecord,
} from '../../../lib/domain/campaign.ts';
import { ValidationError, type FieldProblem } from '../../../lib/domain/errors.ts';

const LIST = '01JD0000000000000000000000';
const valid = { list_id: LIST, from: 'Acme <news@acme.example>', subject: 'Hi {{first_name}}', html: '<p>Hello {{first_name}}</p>' };

function problems(body: unknown): FieldProblem[] {
  try {
    parseCampaignRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    return ((error as ValidationError).details as FieldProblem[] | undefined) ?? [];
  }
  throw new Error(`accepted: ${JSON.stringify(body)}`);
}

const fields = (body: unknown) => problems(body).map((p) => p.field);

describe('parseCampaignRequest', () => {
  it('accepts a campaign and normalises it; clicks are tracked by default, opens are not', () => {
    expect(
      parseCampaignRequest({ ...valid, name: 'Spring', reply_to: ['Help <Help@Acme.EXAMPLE>'], text: 'Hello', tags: { kind: 'news' } }),
    ).toEqual({
      listId: LIST,
      name: 'Spring',
      from: 'Acme <news@acme.example>',
      envelopeFrom: 'news@acme.example',
      replyTo: ['Help <Help@acme.example>'],
      subject: 'Hi {{first_name}}',
      html: '<p>Hello {{first_name}}</p>',
      text: 'Hello',
      tags: { kind: 'news' },
      tracking: { clicks: true, opens: false },
    });
    expect(parseCampaignRequest({ ...valid, tracking: { opens: true, clicks: false } }).tracking).toEqual({ opens: true, clicks: false });
    expect(parseCampaignRequest({ list_id: LIST, from: 'a@b.example', subject: 's', text: 't' })).toMatchObject({ replyTo: [], tags: {} });
  });

  it('needs a list, an address to send from, a subject and a body', () => {
    expect(fields({})).toEqual(expect.arrayContaining(['list_id', 'from', 'subject', 'text']));
    expect(fields({ ...valid, html: undefined })).toEqual(['text']);
    expect(fields({ ...valid, from: 'not an address' })).toEqual(['from']);
    expect(fields({ ...valid, from: 'a@b.example\r\nBcc: x@y.example' })).toEqual(['from']);
    expect(fields({ ...valid, list_id: '../other' })).toEqual(['list_id']);
    expect(fields({ ...valid, list_id: 7 })).toEqual(['list_id']);
    expect(fields({ ...valid, subject: '  ' })).toEqual(['subject']);
  });

  it('refuses control characters in the subject template and the name', () => {
    expect(fields({ ...valid, subject: 'Hi\r\nBcc: x@y.example' })).toEqual(['subject']);
    expect(fields({ ...valid, name: 'a\u0000b' })).toEqual(['name']);
  });

  it('refuses line breaks hidden in an encoded word or written as U+2028 in the subject', () => {
    const crlfBcc = `=?UTF-8?B?${Buffer.from('\r\nBcc: x@y.example').toString('base64')}?=`;
    expect(fields({ ...valid, subject: `Hi ${crlfBcc}` })).toEqual(['subject']);
    expect(fields({ ...valid, subject: 'Hi\u2028there' })).toEqual(['subject']);
    expect(parseCampaignRequest({ ...valid, subject: 'Hi\tthere' }).subject).toBe('Hi\tthere');
  });

  it('checks tags like a message does, reply-to addresses and tracking', () => {
    expect(fields({ ...valid, tags: { 'bad key': 'x' } })).toEqual(['tags.bad key']);
    expect(fields({ ...valid, tags: { kind: 'a\nb' } })).toEqual(['tags.kind']);
    expect(fields({ ...valid, tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, 'v'])) })).toEqual(['tags']);
    expect(fields({ ...valid, reply_to: ['ok@acme.example', 'nope'] })).toEqual(['reply_to[1]']);
    expect(fields({ ...valid, tracking: { opens: 'yes' } })).toEqual(['tracking.opens']);
    expect(fields({ ...valid, tracking: { pixels: true } })).toEqual(['tracking']);
  });

  it('refuses unknown fields and what is not an object', () => {
    expect(problems({ ...valid, to: 'x@y.example' })).toEqual([{ field: 'to', message: 'unknown field(s): to' }]);
    expect(fields(null)).toContain('(body)');
    expect(fields([valid])).toContain('(body)');
  });
});

describe('parseCampaignRequest with a stored template', () => {
  const { subject: _subject, html: _html, ...rest } = valid;
  const TEMPLATE = '01JD1111111111111111111111';

  it('takes template_id instead of the templates', () => {
    expect(parseCampaignRequest({ ...rest, template_id: TEMPLATE })).toEqual({
      listId: LIST,
      from: 'Acme <news@acme.example>',
      envelopeFrom: 'news@acme.example',
      replyTo: [],
      tags: {},
      tracking: { clicks: true, opens: false },
      templateId: TEMPLATE,
    });
  });

  it('refuses a subject, html or text beside template_id, and an id that is not one', () => {
    expect(fields({ ...valid, text: 't', template_id: TEMPLATE })).toEqual(['subject', 'html', 'text']);
    expect(fields({ ...rest, template_id: '../x' })).toEqual(['template_id']);
    expect(fields({ ...rest, template_id: 5 })).toEqual(['template_id']);
  });

  it('still needs a subject and a body without one', () => {
    expect(fields(rest)).toEqual(['subject', 'text']);
  });
});

describe('campaignMessageId', () => {
  it('is the same for the same contact, different for another, alphanumeric and at most 64 characters', () => {
    const id = campaignMessageId('01JD1111111111111111111111', 'ann@example.com');
    expect(id).toBe(campaignMessageId('01JD1111111111111111111111', 'ann@example.com'));
    expect(id).not.toBe(campaignMessageId('01JD1111111111111111111111', 'bob@example.com'));
    expect(id).not.toBe(campaignMessageId('01JD2222222222222222222222', 'ann@example.com'));
    expect(id).toMatch(/^01JD1111111111111111111111[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(id.length).toBeLessThanOrEqual(64);
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => campaignMessageId('C', `user${i}@example.com`)));
    expect(ids.size).toBe(10_000);
  });
});

describe('parseCampaignJob', () => {
  it('reads the two kinds of job and nothing else', () => {
    expect(parseCampaignJob('{"v":1,"kind":"fanout","tenant":"t","campaignId":"C"}')).toEqual({
      v: 1,
      kind: 'fanout',
      tenant: 't',
      campaignId: 'C',
    });
    expect(parseCampaignJob('{"v":1,"kind":"fanout","tenant":"t","campaignId":"C","enqueuedAt":1800000000000}')).toEqual({
      v: 1,
      kind: 'fanout',
      tenant: 't',
      campaignId: 'C',
      enqueuedAt: 1_800_000_000_000,
    });
    expect(parseCampaignJob('{"v":1,"kind":"purge-list","tenant":"t","listId":"L"}')).toEqual({
      v: 1,
      kind: 'purge-list',
      tenant: 't',
      listId: 'L',
    });
    for (const body of [
      '',
      'nope',
      '{"v":2,"kind":"fanout","tenant":"t","campaignId":"C"}',
      '{"v":1,"kind":"fanout","tenant":"t"}',
      '{"v":1,"kind":"other"}',
    ]) {
      expect(parseCampaignJob(body)).toBeUndefined();
    }
  });
});

describe('campaignView', () => {
  it('shows the progress without the cursor, and the templates only in full', () => {
    const campaign: CampaignRecord = {
      id: 'C',
      tenant: 't',
      listId: LIST,
      from: 'a@b.example',
      replyTo: [],
      subject: 's',
      html: '<p>h</p>',
      tags: {},
      tracking: { clicks: true, opens: false },
      status: 'sending',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publicUrl: 'https://mail.example.com',
      progress: { ...emptyProgress(), cursor: 'abc', contacts: 5, queued: 3 },
    };
    const brief = campaignView(campaign);
    expect(brief.progress).toEqual({ contacts: 5, queued: 3, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 0 });
    expect(brief).not.toHaveProperty('html');
    expect(campaignView(campaign, true)).toMatchObject({ html: '<p>h</p>' });
    expect(JSON.stringify(campaignView(campaign, true))).not.toContain('publicUrl');
  });
});
