/**
 * The way in for what Amazon SES reports about sent mail: an event destination on the SES
 * configuration set publishes its event types (SES_EVENT_TYPES) to an SNS topic, which feeds an SQS queue
 * (with a dead-letter queue) for the ses-events function. The topic is encrypted with a
 * customer-managed KMS key whose policy lets SES use it, because SES cannot publish to a
 * topic encrypted with the AWS managed key.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ConfigurationSet, ConfigurationSetEventDestination, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_EVENTS_QUEUE } from '../../lib/topology.ts';
import { EncryptedQueue } from './encrypted-queue.ts';

/**
 * The event types SES publishes to mailroom; it records all of them but Send. Not Open or
 * Click: a configuration set whose event destination publishes them turns on SES's own open
 * and click tracking, which would rewrite links and add a pixel to every HTML message, and
 * count twice what mailroom tracks itself.
 */
export const SES_EVENT_TYPES: readonly EmailSendingEvent[] = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.DELIVERY_DELAY,
  EmailSendingEvent.RENDERING_FAILURE,
  EmailSendingEvent.SUBSCRIPTION,
];

/** Properties of {@link SesEvents}. */
export interface SesEventsProps {
  /** The configuration set mail is sent with (created by the stack or given). */
  configurationSetName: string;
}

/** SES configuration set → SNS topic → SQS queue (+DLQ). */
export class SesEvents extends Construct {
  /** The topic SES publishes to. */
  readonly topic: ITopic;
  /** The queue the ses-events function consumes. */
  readonly queue: IQueue;
  /** Records that kept failing, kept for inspection and redrive. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: SesEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const key = new Key(this, 'Key', {
      description: 'Encrypts the topic Amazon SES publishes mailroom sending events to',
      enableKeyRotation: true,
    });
    // SES encrypts what it publishes with this key (through SNS); only on behalf of this account.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    const topic = new Topic(this, 'Topic', {
      displayName: 'mailroom SES events',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic = topic;

    this.deadLetterQueue = new EncryptedQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(SES_EVENTS_QUEUE.deadLetterRetentionDays),
    });
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(SES_EVENTS_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SES_EVENTS_QUEUE.maxReceiveCount },
    });
    // The SNS envelope is kept (raw delivery off): it carries the topic and SNS's message id,
    // which help when tracing a record; the handler reads both forms.
    topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: false }));

    this.addDestination('', props.configurationSetName);
  }

  /**
   * Publishes the events of one more configuration set (a dedicated IP pool's) to the same
   * topic, so mail sent through any of the deployment's sets is recorded alike.
   * @param id distinguishes the destination's construct ids (the pool name)
   */
  addConfigurationSet(id: string, configurationSetName: string): void {
    this.addDestination(`-${id}`, configurationSetName);
  }

  private addDestination(suffix: string, configurationSetName: string): void {
    // The event destination also gives SES `sns:Publish` on the topic, for this configuration set only.
    new ConfigurationSetEventDestination(this, `Destination${suffix}`, {
      configurationSet: ConfigurationSet.fromConfigurationSetName(this, `ConfigurationSet${suffix}`, configurationSetName),
      destination: EventDestination.snsTopic(this.topic),
      events: [...SES_EVENT_TYPES],
    });
  }
}
