/**
 * The topic mailroom's CloudWatch alarms publish to, encrypted with a customer-managed KMS key
 * (as the delivery-notification topic is) and closed to requests not made over TLS. CloudWatch
 * may publish to it, and use the key, only for this stack's alarms; an address given at deploy
 * time is subscribed by email.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Name prefix of the alarms that may publish (`<prefix>*`). */
  alarmNamePrefix: string;
  /** An address to subscribe; it must confirm the subscription from the mail SNS sends. @default none */
  email?: string;
}

/** The alarm topic. */
export class AlarmTopic extends Construct {
  /** Where the alarms send their state changes. */
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    // Only this stack's alarms, in this account (confused-deputy protection).
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${props.alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };

    const key = new Key(this, 'Key', {
      description: 'Encrypts the mailroom alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch encrypts what it publishes with this key (through SNS): without these actions an
    // encrypted topic silently drops every alarm.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );

    const topic = new Topic(this, 'Topic', {
      displayName: 'mailroom alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces SNS's default one, so CloudWatch is named.
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions,
      }),
    );
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}
