import { describe, expect, it } from 'vitest';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import { UNIQUE_MARKER_DAYS, addCounters, dimensionsOf, incrementsFor, ratesOf, zeroCounters } from '../../../lib/domain/report.ts';

function event(type: EventType, extra: Partial<MailEvent> = {}): MailEvent {
  return makeEvent({
    messageId: 'm1',
    tenant: 'acme',
    recipient: 'ann@example.org',
    type,
    at: '2026-11-28T10:00:00.000Z',
    attempt: 1,
    tags: {},
    detail: {},
    ...extra,
  });
}

describe('report increments', () => {
  it('counts in every dimension the message carries', () => {
    const e = event('sent', { tags: { kind: 'receipt', shop: 'eu' }, fromDomain: 'acme.example', list: 'news', campaign: 'c1' });
    expect(dimensionsOf(e)).toEqual(['all', 'tag:kind=receipt', 'tag:shop=eu', 'domain:acme.example', 'list:news', 'campaign:c1']);
  });

  it('splits bounces into hard and soft', () => {
    expect(incrementsFor(event('bounced', { detail: { bounceType: 'hard' } }))[0]?.counters).toEqual(['bounced', 'bounced_hard']);
    expect(incrementsFor(event('bounced', { detail: { bounceType: 'soft' } }))[0]?.counters).toEqual(['bounced', 'bounced_soft']);
  });

  it('counts the first open and click per message and recipient as unique, with a long-lived key', () => {
    const [total, unique] = incrementsFor(event('opened'));
    expect(total).toMatchObject({ key: 'm1/opened/ann@example.org/1', counters: ['opened'] });
    expect(unique).toMatchObject({ key: 'first:m1/ann@example.org/opened', counters: ['opened_unique'], keepDays: UNIQUE_MARKER_DAYS });
    // A second open has another event id but the same unique key.
    const [, again] = incrementsFor(event('opened', { attempt: 2 }));
    expect(again?.key).toBe(unique?.key);
    expect(incrementsFor(event('clicked'))[1]?.counters).toEqual(['clicked_unique']);
    expect(incrementsFor(event('delivered'))).toHaveLength(1);
  });

  it('counts a click on a campaign message in its link totals, the first per recipient and link as unique there only', () => {
    const url = `https://shop.example/${'x'.repeat(5000)}`;
    const [total, unique, linkUnique] = incrementsFor(event('clicked', { campaign: 'c1', detail: { link: url } }));
    expect(total).toMatchObject({ counters: ['clicked'], link: { campaign: 'c1', url } });
    expect(unique).not.toHaveProperty('link');
    expect(linkUnique).toMatchObject({
      dimensions: [],
      counters: ['clicked_unique'],
      keepDays: UNIQUE_MARKER_DAYS,
      link: { campaign: 'c1', url },
    });
    // Keyed by a digest: a marker's key stays far below DynamoDB's 2 KB, whatever the URL's length.
    expect(linkUnique!.key).toMatch(/^first:m1\/ann@example\.org\/clicked\/[\w-]{22}$/);
    const again = incrementsFor(event('clicked', { attempt: 2, campaign: 'c1', detail: { link: url } }))[2];
    expect(again?.key).toBe(linkUnique!.key);
    const other = incrementsFor(event('clicked', { campaign: 'c1', detail: { link: 'https://shop.example/b' } }))[2];
    expect(other?.key).not.toBe(linkUnique!.key);
    // Without a campaign, or for an open, there are no link totals.
    expect(incrementsFor(event('clicked', { detail: { link: url } }))).toHaveLength(2);
    expect(incrementsFor(event('opened', { campaign: 'c1', detail: { link: url } })).some((i) => i.link)).toBe(false);
  });

  it('computes rates per recipient sent, null when nothing was sent', () => {
    const c = { ...zeroCounters(), sent: 200, delivered: 190, bounced: 6, complained: 1, opened_unique: 50, clicked_unique: 7 };
    expect(ratesOf(c)).toEqual({ delivery_rate: 0.95, bounce_rate: 0.03, complaint_rate: 0.005, open_rate: 0.25, click_rate: 0.035 });
    expect(ratesOf(zeroCounters())).toEqual({
      delivery_rate: null,
      bounce_rate: null,
      complaint_rate: null,
      open_rate: null,
      click_rate: null,
    });
    expect(addCounters({ ...zeroCounters(), sent: 1 }, { ...zeroCounters(), sent: 2, opened: 1 })).toMatchObject({ sent: 3, opened: 1 });
  });
});
