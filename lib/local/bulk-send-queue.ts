/** Creates the bulk send queue (campaign mail) in the SQS emulator, redriving to the send DLQ as in AWS. */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SEND_QUEUE } from '../topology.ts';

/** Creates `<prefix>-send-bulk` (or finds it); returns its URL and ARN. */
export async function createBulkSendQueue(
  client: SQSClient,
  prefix: string,
  deadLetterQueueUrl: string,
  visibilityTimeoutSeconds: number = SEND_QUEUE.visibilityTimeoutSeconds,
): Promise<{ queueUrl: string; queueArn: string }> {
  const arn = async (url: string) =>
    (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-send-bulk`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arn(deadLetterQueueUrl), maxReceiveCount: SEND_QUEUE.maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, queueArn: await arn(queue.QueueUrl!) };
}
