/** Creates the work queues (exports, campaigns, imports) and their DLQs in the SQS emulator, with the redrive of lib/topology.ts. */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CAMPAIGN_QUEUE, EXPORT_QUEUE, IMPORT_QUEUE } from '../topology.ts';

export interface ExportQueues {
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
}

async function arnOf(client: SQSClient, queueUrl: string): Promise<string> {
  const answer = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return answer.Attributes?.QueueArn ?? '';
}

/** A work queue and its DLQ, with the redrive of lib/topology.ts. */
export interface WorkQueueDef {
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  deadLetterRetentionDays: number;
}

/** Creates queue `name` and `<name>-dlq` (or finds them). */
export async function createWorkQueues(client: SQSClient, name: string, def: WorkQueueDef): Promise<ExportQueues> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      Attributes: { MessageRetentionPeriod: String(def.deadLetterRetentionDays * 86_400) },
    }),
  );
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(def.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await arnOf(client, deadLetterQueueUrl),
          maxReceiveCount: def.maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, queueArn: await arnOf(client, queue.QueueUrl!), deadLetterQueueUrl };
}

/** Creates `<prefix>-exports` and `<prefix>-exports-dlq` (or finds them). */
export function createExportQueues(client: SQSClient, prefix = 'mailroom'): Promise<ExportQueues> {
  return createWorkQueues(client, `${prefix}-exports`, EXPORT_QUEUE);
}

/** Creates `<prefix>-campaigns` and `<prefix>-campaigns-dlq` (or finds them). */
export function createCampaignQueues(client: SQSClient, prefix = 'mailroom'): Promise<ExportQueues> {
  return createWorkQueues(client, `${prefix}-campaigns`, CAMPAIGN_QUEUE);
}

/** Creates `<prefix>-imports` and `<prefix>-imports-dlq` (or finds them). */
export function createImportQueues(client: SQSClient, prefix = 'mailroom'): Promise<ExportQueues> {
  return createWorkQueues(client, `${prefix}-imports`, IMPORT_QUEUE);
}
