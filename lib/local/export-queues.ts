/** Creates the exports queue and its DLQ in the SQS emulator, with the redrive of lib/topology.ts. */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EXPORT_QUEUE } from '../topology.ts';

export interface ExportQueues {
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
}

async function arnOf(client: SQSClient, queueUrl: string): Promise<string> {
  const answer = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return answer.Attributes?.QueueArn ?? '';
}

/** Creates `<prefix>-exports` and `<prefix>-exports-dlq` (or finds them). */
export async function createExportQueues(client: SQSClient, prefix = 'mailroom'): Promise<ExportQueues> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-exports-dlq`,
      Attributes: { MessageRetentionPeriod: String(EXPORT_QUEUE.deadLetterRetentionDays * 86_400) },
    }),
  );
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-exports`,
      Attributes: {
        VisibilityTimeout: String(EXPORT_QUEUE.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(client, deadLetterQueueUrl), maxReceiveCount: EXPORT_QUEUE.maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, queueArn: await arnOf(client, queue.QueueUrl!), deadLetterQueueUrl };
}
