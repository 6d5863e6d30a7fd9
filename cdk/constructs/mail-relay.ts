/**
 * What the deliver function needs to hand mail to its relay: for SES, a configuration set
 * (created unless an existing one is named), the dedicated IP pools with their own sets, and
 * permission to send through them; for SMTP, the Secrets Manager secret holding the relay URL
 * (created empty unless an existing one is named) and permission to read it.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { CfnSecret, Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { ENV } from '../../lib/env.ts';
import type { DedicatedIpPoolProps, RelayProps } from '../context.ts';
import { DedicatedIpPools } from './ip-pools.ts';

// How cdk-nag prints the identity ARN: pseudo parameters in angle brackets.
const IDENTITY_FINDING = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*';

/** Properties of a {@link MailRelay}. */
export interface MailRelayProps {
  /** Which relay, and the existing resources to use if any. */
  relay: RelayProps;
  /** SES dedicated IP pools to create, each with its configuration set (relay `ses` only). @default none */
  dedicatedIpPools?: readonly DedicatedIpPoolProps[];
}

/** SES v2 calls that set up and remove a tenant's sending domain (Easy DKIM, custom MAIL FROM). */
const IDENTITY_ACTIONS = [
  'ses:CreateEmailIdentity',
  'ses:GetEmailIdentity',
  'ses:DeleteEmailIdentity',
  'ses:PutEmailIdentityMailFromAttributes',
];

/** The relay's resources and the environment that points the deliver function at them. */
export class MailRelay extends Construct {
  /** `MAILROOM_RELAY` plus the configuration set or secret it needs. */
  readonly environment: Record<string, string>;
  /** The SES configuration set mail is sent with (relay `ses`). */
  readonly configurationSetName?: string;
  /** The configuration sets of the dedicated IP pools, by pool name (relay `ses`; empty without pools). */
  readonly poolConfigurationSetNames: Readonly<Record<string, string>> = {};
  /** The secret whose SecretString is the SMTP URL (relay `smtp`). */
  readonly secret?: ISecret;

  constructor(scope: Construct, id: string, props: MailRelayProps) {
    super(scope, id);
    const { relay } = props;

    if (relay.kind === 'ses') {
      this.configurationSetName =
        relay.configurationSetName ?? new ConfigurationSet(this, 'ConfigurationSet', { reputationMetrics: true }).configurationSetName;
      this.environment = { [ENV.relay]: 'ses', [ENV.sesConfigurationSet]: this.configurationSetName };
      if (props.dedicatedIpPools?.length) {
        const pools = new DedicatedIpPools(this, 'IpPools', { pools: props.dedicatedIpPools });
        this.poolConfigurationSetNames = pools.configurationSetNames;
        Object.assign(this.environment, pools.environment);
      }
    } else {
      if (props.dedicatedIpPools?.length) throw new Error('dedicated IP pools need relay "ses"');
      this.secret = relay.secretArn ? Secret.fromSecretCompleteArn(this, 'SmtpSecret', relay.secretArn) : this.emptySecret();
      this.environment = { [ENV.relay]: 'smtp', [ENV.smtpSecretArn]: this.secret.secretArn };
    }
  }

  /** Lets a role send through the relay: SES send permissions, or reading the SMTP secret. */
  grantSend(role: IRole): void {
    if (this.secret) {
      this.secret.grantRead(role);
      return;
    }
    const stack = Stack.of(this);
    const identities = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        // SES v2 SendEmail is authorized as ses:SendEmail, and as ses:SendRawEmail for raw content.
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          // Senders are any verified identity of the account: tenants bring their own domains
          // and addresses after deployment, so they cannot be listed here.
          identities,
          // The deployment's set, and the sets tied to the dedicated IP pools.
          ...[this.configurationSetName, ...Object.values(this.poolConfigurationSetNames)].map((name) =>
            stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: name }),
          ),
        ],
      }),
    );
    // Delivery is paced to the account's sending rate, which deliver reads at cold start.
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "ses:GetAccount reads the account's own sending quota and supports no resource-level permissions; it grants nothing else.",
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${IDENTITY_FINDING}]`,
      reason:
        'SES authorizes sending against the sender identity, and tenants verify their own domains and addresses after deployment, so the deliver role may send as any identity of this account and Region; SES itself only sends from verified identities.',
    });
  }

  /**
   * Lets a role create, read and delete SES email identities and set their MAIL FROM domain:
   * the api sets up tenants' sending domains (Easy DKIM) with them. Nothing with relay `smtp`,
   * where mailroom signs with its own DKIM keys.
   */
  grantManageIdentities(role: IRole): void {
    if (this.secret) return;
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: IDENTITY_ACTIONS,
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${IDENTITY_FINDING}]`,
      reason:
        'Tenants add their sending domains through the API after deployment, so their identity names cannot be listed here; the grant is limited to SES email identities of this account and Region, and to the calls that set up, read and remove them.',
    });
  }

  /**
   * A secret with no value (CloudFormation creates it empty when neither SecretString nor
   * GenerateSecretString is given): the operator stores the SMTP URL in it after deploying.
   */
  private emptySecret(): ISecret {
    const secret = new Secret(this, 'SmtpSecret', {
      description: 'mailroom SMTP relay URL, e.g. smtp://user:pass@host:587 (set after deploying)',
    });
    // The L2 always generates a random value when none is given, which would look like a URL
    // that is simply wrong; an empty secret makes the missing setting obvious.
    (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds credentials of a third-party SMTP relay, which only that provider can rotate; the operator replaces the value when the provider issues new credentials.',
    });
    return secret;
  }
}
