/**
 * The secrets that tenants and their sending domains need: the key that encrypts the DKIM
 * private keys mailroom makes for sending domains, and the name prefix under which the api
 * keeps each tenant's own SMTP relay URL as a Secrets Manager secret.
 */
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Actions that create, replace and remove a tenant's relay secret (no reading). */
const MANAGE_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:DeleteSecret',
];

/** The domain key and the tenant relay secrets' prefix. */
export class TenantSecrets extends Construct {
  /**
   * 43 random characters of the base64 alphabet: read as unpadded base64 they are 32 bytes
   * (the form `MAILROOM_DOMAIN_KEY_SECRET` takes in local mode), with 256 bits of entropy.
   */
  readonly domainKeySecret: ISecret;
  /** Name prefix of tenant relay secrets: `mailroom/<stack name>/tenants/`. */
  readonly tenantSecretPrefix: string;
  /** ARN pattern matching every tenant relay secret (and nothing else). */
  private readonly tenantSecretArns: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    this.domainKeySecret = new Secret(this, 'DomainKeySecret', {
      description: 'mailroom: key that encrypts the DKIM private keys of sending domains',
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
      // Without it the stored DKIM keys cannot be decrypted and every domain must be set up again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.domainKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key encrypts the DKIM private keys stored in the domains table; rotating it would make every stored key unreadable. Replace it deliberately, together with re-encrypting the keys, never on a schedule.',
    });

    this.tenantSecretPrefix = `mailroom/${stack.stackName}/tenants/`;
    this.tenantSecretArns = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.tenantSecretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Lets a grantee read the DKIM key-encryption key. */
  grantReadDomainKey(grantee: IGrantable): void {
    this.domainKeySecret.grantRead(grantee);
  }

  /** Lets a role create, replace and delete tenant relay secrets (the api, when tenants set their relay). */
  grantManageTenantSecrets(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: MANAGE_ACTIONS, resources: [this.tenantSecretArns] }));
    this.acknowledgePrefix(role, 'creates, replaces and deletes');
  }

  /** Lets a role read tenant relay secrets (deliver, when a tenant relays through its own SMTP server). */
  grantReadTenantSecrets(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.tenantSecretArns],
      }),
    );
    this.acknowledgePrefix(role, 'reads');
  }

  private acknowledgePrefix(role: IRole, what: string): void {
    // How cdk-nag prints the pattern: pseudo parameters in angle brackets.
    const finding = `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.tenantSecretPrefix}*`;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `The role ${what} the secrets that hold tenants' own SMTP relay URLs, which tenants set after deployment; the grant covers only secrets under the prefix ${this.tenantSecretPrefix}, which holds nothing else.`,
    });
  }
}
