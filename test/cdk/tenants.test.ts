import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATOR_TENANT } from '../../cdk/context.ts';
import { ENV } from '../../lib/env.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, referencedId, resourceStartingWith, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

const IDENTITY_ACTIONS = [
  'ses:CreateEmailIdentity',
  'ses:GetEmailIdentity',
  'ses:DeleteEmailIdentity',
  'ses:PutEmailIdentityMailFromAttributes',
];
const TENANT_PREFIX = 'mailroom/Mailroom/tenants/';
const tableIds = (resources: unknown[]) => [...new Set(resources.map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, '')))].sort();

describe('tenants, SMTP credentials and sending domains (relay ses)', () => {
  const { template } = buildStack({ operatorTenant: 'ops' });
  const api = roleStatements(template, 'ApiFunction');
  const deliver = roleStatements(template, 'DeliverFunction');
  const [secretId, secret] = resourceStartingWith(template, 'AWS::SecretsManager::Secret', 'TenantSecretsDomainKeySecret');

  it('keeps a generated domain key (43 base64 characters: 32 bytes) that outlives the stack', () => {
    expect(secret.Properties).toMatchObject({
      GenerateSecretString: { PasswordLength: 43, ExcludePunctuation: true, IncludeSpace: false },
    });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('tells every function the operator tenant, the domain key and the tenant secret prefix', () => {
    for (const id of ['ApiFunction', 'DeliverFunction']) {
      const env = functionEnvironment(template, id);
      expect(env[ENV.operatorTenant]).toBe('ops');
      expect(env[ENV.domainKeySecretArn]).toEqual({ Ref: secretId });
      expect(env[ENV.tenantSecretPrefix]).toBe(TENANT_PREFIX);
    }
  });

  it('lets api keep tenants, API keys, SMTP credentials and domains, and list keys and credentials per tenant', () => {
    const writable = tableIds(resourcesFor(api, 'dynamodb:PutItem'));
    expect(writable).toEqual(expect.arrayContaining(['TablesApiKeys', 'TablesDomains', 'TablesSmtpCredentials', 'TablesTenants']));
    const indexes = flatten(resourcesFor(api, 'dynamodb:Query'));
    expect(indexes).toMatch(/TablesApiKeys[0-9A-F]{8}","Arn"\]\},"\/index\/byTenant"/);
    expect(indexes).toMatch(/TablesSmtpCredentials[0-9A-F]{8}","Arn"\]\},"\/index\/byTenant"/);
  });

  it('lets api set up SES identities, and only identities', () => {
    for (const action of IDENTITY_ACTIONS) {
      const resources = resourcesFor(api, action);
      expect(resources).toHaveLength(1);
      expect(flatten(resources[0])).toMatch(/:ses:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":identity\/\*"/);
    }
    expect(resourcesFor(api, 'ses:SendEmail')).toEqual([]);
    expect(flatten(deliver)).not.toContain('ses:CreateEmailIdentity');
  });

  it('lets api create, replace and delete tenant relay secrets under the prefix without reading them', () => {
    for (const action of ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret']) {
      expect(flatten(resourcesFor(api, action))).toMatch(new RegExp(`:secret:${TENANT_PREFIX}\\*"\\]\\]\\}\\]$`));
    }
    // The api reads the link and domain keys, and no relay secret.
    expect(resourcesFor(api, 'secretsmanager:GetSecretValue').map(referencedId).sort()).toEqual([
      expect.stringMatching(/^CampaignsLinkSecret/),
      secretId,
    ]);
  });

  it('lets deliver read tenants, domains, tenant relay secrets and the domain key, and change none of them', () => {
    expect(tableIds(resourcesFor(deliver, 'dynamodb:GetItem'))).toEqual(expect.arrayContaining(['TablesDomains', 'TablesTenants']));
    expect(tableIds(resourcesFor(deliver, 'dynamodb:PutItem'))).not.toEqual(expect.arrayContaining(['TablesDomains']));
    expect(tableIds(resourcesFor(deliver, 'dynamodb:PutItem'))).not.toEqual(expect.arrayContaining(['TablesTenants']));
    const readable = resourcesFor(deliver, 'secretsmanager:GetSecretValue');
    expect(readable).toContainEqual({ Ref: secretId });
    expect(flatten(readable)).toContain(`:secret:${TENANT_PREFIX}*"`);
    expect(resourcesFor(deliver, 'secretsmanager:CreateSecret')).toEqual([]);
    expect(resourcesFor(deliver, 'secretsmanager:PutSecretValue')).toEqual([]);
  });

  it("lets the campaign function check tenants' sending state and senders' domains, read-only", () => {
    const campaign = roleStatements(template, 'CampaignFunction');
    expect(tableIds(resourcesFor(campaign, 'dynamodb:GetItem'))).toEqual(expect.arrayContaining(['TablesDomains', 'TablesTenants']));
    expect(tableIds(resourcesFor(campaign, 'dynamodb:PutItem'))).not.toContain('TablesDomains');
    expect(tableIds(resourcesFor(campaign, 'dynamodb:PutItem'))).not.toContain('TablesTenants');
  });

  it('lets stream pause tenants (the reputation breaker) and read no secret', () => {
    const stream = roleStatements(template, 'StreamFunction');
    expect(tableIds(resourcesFor(stream, 'dynamodb:UpdateItem'))).toEqual(['TablesReports', 'TablesTenants']);
    expect(resourcesFor(stream, 'secretsmanager:GetSecretValue')).toEqual([]);
  });
});

describe('tenants with relay smtp', () => {
  const { template } = buildStack({ relay: { kind: 'smtp' } });

  it('grants no SES identity calls, still the tenant relay secrets, and the default operator tenant', () => {
    const api = roleStatements(template, 'ApiFunction');
    expect(flatten(api)).not.toContain('ses:');
    expect(flatten(resourcesFor(api, 'secretsmanager:CreateSecret'))).toContain(TENANT_PREFIX);
    expect(flatten(resourcesFor(roleStatements(template, 'DeliverFunction'), 'secretsmanager:GetSecretValue'))).toContain(TENANT_PREFIX);
    expect(functionEnvironment(template, 'ApiFunction')[ENV.operatorTenant]).toBe(DEFAULT_OPERATOR_TENANT);
    // Unset, the functions require verified sender domains.
    expect(functionEnvironment(template, 'ApiFunction')[ENV.verifiedDomains]).toBeUndefined();
  });

  it('passes mailroom:verifiedDomains to the functions that check senders', () => {
    const { template: relaxed } = buildStack({ relay: { kind: 'smtp' }, verifiedDomains: 'off:legacy' });
    for (const id of ['ApiFunction', 'CampaignFunction']) expect(functionEnvironment(relaxed, id)[ENV.verifiedDomains]).toBe('off:legacy');
  });
});
