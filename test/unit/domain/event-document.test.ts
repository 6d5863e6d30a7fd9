import { describe, expect, it } from 'vitest';
import { publicDetail } from '../../../lib/domain/event-document.ts';

describe('publicDetail', () => {
  it('publishes every detail field under its snake_case name', () => {
    expect(
      publicDetail({
        relay: 'ses',
        sesMessageId: '0100018c-abc',
        link: 'https://acme.example/x',
        userAgent: 'Mozilla/5.0',
        ipAddress: '192.0.2.1',
        complaintFeedbackType: 'abuse',
        expirationTime: '2026-11-29T00:00:00.000Z',
        sendAt: '2026-12-24T09:00:00.000Z',
        bounceType: 'hard',
        category: 'no_such_mailbox',
        explanation: 'The address does not exist at the receiving domain.',
        diagnostic: 'smtp; 550 5.1.1 user unknown',
        answer: { code: 550, enhanced: '5.1.1', response: '550 5.1.1 user unknown' },
      }),
    ).toEqual({
      relay: 'ses',
      ses_message_id: '0100018c-abc',
      link: 'https://acme.example/x',
      user_agent: 'Mozilla/5.0',
      ip_address: '192.0.2.1',
      complaint_feedback_type: 'abuse',
      expiration_time: '2026-11-29T00:00:00.000Z',
      send_at: '2026-12-24T09:00:00.000Z',
      bounce_type: 'hard',
      category: 'no_such_mailbox',
      explanation: 'The address does not exist at the receiving domain.',
      diagnostic: 'smtp; 550 5.1.1 user unknown',
      answer: { code: 550, enhanced: '5.1.1', response: '550 5.1.1 user unknown' },
    });
    expect(publicDetail({})).toEqual({});
  });
});
