/** The SQS consumers' partial batch response: what comes back, in which order records run, and batches running at once. */
import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { processSqsBatch } from '../../../lib/handlers/sqs-batch.ts';
import { sqsEvent } from '../../support/ses-events.ts';

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as Context;

describe('processSqsBatch', () => {
  it('answers with the records whose handler threw, and only those', async () => {
    const event = sqsEvent('ok', 'fail', 'ok', 'fail');
    const response = await processSqsBatch(event, context, async (record) => {
      if (record.body === 'fail') throw new Error('not now');
    });
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }, { itemIdentifier: event.Records[3]!.messageId }],
    });
  });

  it('answers a batch whose every record failed with all of them, instead of throwing', async () => {
    const event = sqsEvent('a', 'b');
    const response = await processSqsBatch(event, context, async () => {
      throw new Error('down');
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(event.Records.map((r) => r.messageId));
  });

  it('answers an empty batch, and a batch without failures, with a list of its own', async () => {
    const first = await processSqsBatch(sqsEvent(), context, async () => undefined);
    const second = await processSqsBatch(sqsEvent('ok'), context, async () => undefined);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    first.batchItemFailures.push({ itemIdentifier: 'x' });
    expect(second.batchItemFailures).toEqual([]);
  });

  it('runs records all at once by default, and one after another in queue order when asked', async () => {
    const trace = async (inOrder: boolean) => {
      const steps: string[] = [];
      await processSqsBatch(
        sqsEvent('1', '2', '3'),
        context,
        async (record: SQSRecord) => {
          steps.push(`start ${record.body}`);
          await new Promise((resolve) => setImmediate(resolve));
          steps.push(`end ${record.body}`);
        },
        { inOrder },
      );
      return steps;
    };
    expect((await trace(false)).slice(0, 3)).toEqual(['start 1', 'start 2', 'start 3']);
    expect(await trace(true)).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('keeps batches that run at once apart', async () => {
    const release: (() => void)[] = [];
    const handler = (record: SQSRecord) =>
      new Promise<void>((resolve, reject) => release.push(() => (record.body.startsWith('fail') ? reject(new Error('no')) : resolve())));
    const first = sqsEvent('fail-1', 'ok-1');
    const second = sqsEvent('ok-2', 'ok-3', 'fail-2');
    const answers = Promise.all([processSqsBatch(first, context, handler), processSqsBatch(second, context, handler)]);
    await new Promise((resolve) => setImmediate(resolve));
    for (const go of release) go();
    const [a, b] = await answers;
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: first.Records[0]!.messageId }]);
    expect(b.batchItemFailures).toEqual([{ itemIdentifier: second.Records[2]!.messageId }]);
  });
});
