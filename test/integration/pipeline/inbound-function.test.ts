/**
 * The inbound function as it runs in AWS: SES receiving's notification (through SNS and SQS)
 * names the stored message and the recipients SES took; the function reads the message and
 * records it as the local listener does. Stores on DynamoDB Local; the bucket is a map.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundHandler } from '../../../lib/handlers/inbound-handler.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { wireInbound } from '../../../lib/wiring/inbound.ts';
import { inboundFixture } from '../../fixtures/inbound/sources.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { snsEnvelope, sqsEvent } from '../../support/ses-events.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';

const BUCKET = 'mailroom-inbound-test';
let runtime: LocalRuntime;
const stored = new Map<string, Buffer>();
const log = memoryLog();
let handler: ReturnType<typeof createInboundHandler>;

beforeAll(async () => {
  runtime = await startPipeline({ inbound: { port: 0 } });
  expect((await call(runtime, 'POST', '/v1/domains', { name: 'shop.example' })).status).toBe(201);
  // No route in this test: the files store (the exports bucket in AWS) is never written.
  const files = { put: async () => ({ bytes: 0 }), downloadUrl: async (key: string) => `https://files.test/${key}` };
  const deps = await wireInbound(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, blobs: files, log });
  handler = createInboundHandler({ ...deps, bucket: BUCKET, received: { get: async (key) => stored.get(key) } });
});
afterAll(async () => {
  await runtime?.stop();
});

/** SES receiving's notification for a message stored under `key`. */
function received(key: string, recipients: string[], bucket = BUCKET) {
  return {
    notificationType: 'Received',
    mail: { timestamp: new Date().toISOString(), source: '', messageId: key, destination: recipients },
    receipt: {
      recipients,
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'GRAY' },
      dmarcVerdict: { status: 'PASS' },
      action: { type: 'S3', topicArn: 'arn:aws:sns:eu-west-1:123456789012:inbound', bucketName: bucket, objectKey: `inbound/${key}` },
    },
  };
}

describe('the inbound function', () => {
  it('records a bounce SES receiving stored, and drops what it cannot read or is not its own', async () => {
    const accepted = await call(runtime, 'POST', '/v1/messages', {
      from: 'news@shop.example',
      to: 'gone@remote.example',
      subject: 'Hi',
      text: 'x',
    });
    await waitForMessage(runtime, accepted.body.id, (m) => m.status === 'sent');
    const returnPath = (await runtime.capture!.waitFor(1))[0]!.envelopeFrom;
    stored.set('inbound/dsn-1', inboundFixture('postfix-user-unknown.eml'));

    const answer = await handler(
      sqsEvent(
        snsEnvelope(JSON.stringify(received('dsn-1', [returnPath]))),
        'not json',
        snsEnvelope(JSON.stringify(received('dsn-1', [returnPath], 'someone-elses-bucket'))),
        snsEnvelope(JSON.stringify({ notificationType: 'Received', receipt: {} })),
      ),
      lambdaContext('inbound', 30),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    const message = await waitForMessage(runtime, accepted.body.id, (m) => m.status === 'bounced');
    expect(message.events.at(-1).detail).toMatchObject({ bounce_type: 'hard', category: 'no_such_mailbox' });
    expect(log.lines.filter((l) => l.message === 'unreadable inbound notification dropped')).toHaveLength(2);
    expect(log.lines.filter((l) => l.message === 'inbound notification for another bucket dropped')).toHaveLength(1);
  });
});
