/** Starts the in-process SQS emulator and creates mailroom's send queue and its DLQ. */
import type { Server } from 'node:http';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { SEND_QUEUE } from '../topology.ts';
import { freePort } from './ports.ts';

export interface SqsLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the emulator on loopback. */
export async function startSqsLocal(port?: number): Promise<SqsLocal> {
  const chosen = port ?? (await freePort());
  const server: Server = await createSqsServer({
    port: chosen,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  return {
    endpoint: `http://127.0.0.1:${chosen}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export interface SendQueues {
  queueUrl: string;
  deadLetterQueueUrl: string;
}

/** Creates the send queue and its DLQ with the redrive and visibility timeout of lib/topology.ts. */
export async function createSendQueues(
  client: SQSClient,
  prefix = 'mailroom',
  maxReceiveCount: number = SEND_QUEUE.maxReceiveCount,
  visibilityTimeoutSeconds: number = SEND_QUEUE.visibilityTimeoutSeconds,
): Promise<SendQueues> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-send-dlq`,
      Attributes: { MessageRetentionPeriod: String(SEND_QUEUE.deadLetterRetentionDays * 86_400) },
    }),
  );
  const dlqUrl = dlq.QueueUrl!;
  const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-send`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: attributes.Attributes?.QueueArn, maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlqUrl };
}
