import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, SECRET_BYTES, secretKey, sign, signatureHeaders } from '../../../lib/domain/webhook-signature.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('webhook secrets', () => {
  it('are whsec_ and base64 of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(SECRET_BYTES);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('Standard Webhooks signatures', () => {
  it('verify with the specification reference implementation', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'e1', type: 'delivered', detail: { answer: { response: '250 ok ✓' } } });
    const headers = signatureHeaders([secret], '01JCX8R9G5V4S1M4Q5DRWY7N3A', now(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(
      new Webhook(secret).sign('01JCX8R9G5V4S1M4Q5DRWY7N3A', new Date(Number(headers['webhook-timestamp']) * 1000), body),
    );
  });

  it('carry one signature per secret during a rotation, each valid on its own', () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"type":"sent"}';
    const headers = signatureHeaders([next, previous], 'msg-1', now(), body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toEqual({ type: 'sent' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ type: 'sent' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('fail when the body, id or timestamp changes', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders([secret], 'msg-1', now(), '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg-2' })).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-timestamp': String(now() - 1) })).toThrow();
  });

  it('sign "<id>.<timestamp>.<body>" with HMAC-SHA256, for any body', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.uint8Array({ minLength: 24, maxLength: 64 }), (body, bytes) => {
        const secret = `whsec_${Buffer.from(bytes).toString('base64')}`;
        const timestamp = now();
        expect(sign(secret, 'id', timestamp, body)).toBe(new Webhook(secret).sign('id', new Date(timestamp * 1000), body));
      }),
      { numRuns: 50 },
    );
  });

  it('need a secret', () => {
    expect(() => signatureHeaders([], 'id', now(), '{}')).toThrow(/at least one secret/);
    expect(() => secretKey('whsec_')).toThrow(/no key/);
  });
});
