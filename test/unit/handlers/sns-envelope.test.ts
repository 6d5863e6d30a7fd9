import { describe, expect, it } from 'vitest';
import { InvalidSesNotificationError } from '../../../lib/domain/errors.ts';
import { unwrapSqsBody } from '../../../lib/handlers/sns-envelope.ts';
import { sesFixture, snsEnvelope } from '../../support/ses-events.ts';

describe('unwrapSqsBody', () => {
  const record = sesFixture('delivery');

  it('takes the SES record out of an SNS notification', () => {
    expect(unwrapSqsBody(snsEnvelope(record))).toEqual({ kind: 'record', record });
  });

  it('takes a record delivered raw as it is', () => {
    expect(unwrapSqsBody(JSON.stringify(record))).toEqual({ kind: 'record', record });
  });

  it('tells SNS control messages apart', () => {
    const confirmation = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: 'You have chosen…',
    });
    expect(unwrapSqsBody(confirmation)).toEqual({ kind: 'control', type: 'SubscriptionConfirmation' });
  });

  it.each([
    ['a body that is not JSON', 'not json', /queue message body is not JSON/],
    ['a Message that is not JSON', JSON.stringify({ Type: 'Notification', TopicArn: 'arn', Message: '{oops' }), /Message is not JSON/],
    ['a notification without a Message', JSON.stringify({ Type: 'Notification', TopicArn: 'arn' }), /has no Message/],
  ])('refuses %s', (_, body, message) => {
    expect(() => unwrapSqsBody(body)).toThrow(InvalidSesNotificationError);
    expect(() => unwrapSqsBody(body)).toThrow(message);
  });
});
