import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeliveryJob, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';

describe('parseDeliveryJob', () => {
  it('reads a job back from its JSON', () => {
    const job: DeliveryJob = {
      v: 1,
      messageId: '01JD000000000000000000000',
      tenant: 'acme',
      attempt: 3,
      notBefore: 1_800_000_000_000,
      enqueuedAt: 1_799_999_000_000,
    };
    expect(parseDeliveryJob(JSON.stringify(job))).toEqual(job);
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
  ])('refuses %j', (body) => {
    expect(parseDeliveryJob(body)).toBeUndefined();
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
