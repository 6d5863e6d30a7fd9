import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeliveryJob, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import type { MessageContent } from '../../../lib/domain/message.ts';
import { CARRIED_BODIES_MAX_BYTES, packBodies, unpackBodies } from '../../../lib/domain/packed-bodies.ts';

const CONTENT: MessageContent = { from: 'a@example.com', to: ['b@example.com'], cc: [], bcc: [], replyTo: [], subject: 'Hi', headers: {} };

describe('parseDeliveryJob', () => {
  it('reads a job back from its JSON', () => {
    const job: DeliveryJob = {
      v: 1,
      messageId: '01JD000000000000000000000',
      tenant: 'acme',
      attempt: 3,
      notBefore: 1_800_000_000_000,
      enqueuedAt: 1_799_999_000_000,
      bodies: Buffer.from(packBodies({ ...CONTENT, text: 'Hello' })!).toString('base64'),
    };
    expect(parseDeliveryJob(JSON.stringify(job))).toEqual(job);
    expect(unpackBodies(Buffer.from(parseDeliveryJob(JSON.stringify(job))!.bodies!, 'base64'))).toEqual({ text: 'Hello' });
  });

  it.each([
    '',
    'not json',
    'null',
    '[]',
    '{"v":2,"messageId":"m","tenant":"t","attempt":1}',
    '{"v":1,"messageId":"","tenant":"t","attempt":1}',
    '{"v":1,"messageId":"m","tenant":"t","attempt":0}',
    '{"v":1,"messageId":"m","tenant":"t","attempt":1.5}',
    '{"v":1,"messageId":"m","tenant":"t","attempt":1,"notBefore":-1}',
    '{"v":1,"messageId":"m","tenant":"t","attempt":1,"bodies":"not base64!"}',
    `{"v":1,"messageId":"m","tenant":"t","attempt":1,"bodies":"${'A'.repeat(Math.ceil(CARRIED_BODIES_MAX_BYTES / 3) * 4 + 4)}"}`,
  ])('refuses %j', (body) => {
    expect(parseDeliveryJob(body)).toBeUndefined();
  });

  it('packs bodies to a fraction of their size and unpacks them unchanged', () => {
    const text = 'Your order has shipped and will arrive on Tuesday. '.repeat(40);
    const html = `<p>${text}</p>`;
    const packed = packBodies({ ...CONTENT, text, html, sourceHtml: html })!;
    expect(packed.byteLength).toBeLessThan(Buffer.byteLength(text) / 4);
    expect(unpackBodies(packed)).toEqual({ text, html, sourceHtml: html });
    expect(packBodies(CONTENT)).toBeUndefined();
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => {
        expect(() => parseDeliveryJob(body)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
