/**
 * The delivery-notification topic customers subscribe to, encrypted with a customer-managed
 * KMS key and closed to requests not made over TLS.
 */
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The SNS topic every delivery event is published on. */
export class DeliveryNotifications extends Construct {
  /** The delivery-notification topic. */
  readonly topic: ITopic;
  private readonly key: IKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // A customer-managed key rather than aws/sns, whose key policy cannot be edited: this one
    // can later admit other accounts or services that need to read or publish. Rotated yearly.
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the mailroom delivery-notification topic',
      enableKeyRotation: true,
    });

    this.topic = new Topic(this, 'Topic', {
      displayName: 'mailroom delivery notifications',
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /**
   * Lets a principal publish to the topic, with the two KMS actions SNS performs on the
   * publisher's behalf (`Topic.grantPublish` grants `kms:GenerateDataKey*`, a wildcard).
   */
  grantPublish(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}
