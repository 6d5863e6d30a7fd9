import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

const EXISTING_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mailroom/smtp-AbC123';

/** The relay's secrets (the stack also has its link-signing key, which is not one). */
function relaySecrets(template: Template): string[] {
  return Object.keys(template.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('Relay'));
}

describe('relay ses', () => {
  describe('without a configuration set', () => {
    const { template } = buildStack({ relay: { kind: 'ses' } });
    const deliver = roleStatements(template, 'DeliverFunction');

    it('creates a configuration set and passes its name', () => {
      template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
      const env = functionEnvironment(template, 'DeliverFunction');
      expect(env[ENV.relay]).toBe('ses');
      expect(env[ENV.sesConfigurationSet]).toEqual({ Ref: expect.stringMatching(/^RelayConfigurationSet/) });
      expect(env[ENV.smtpSecretArn]).toBeUndefined();
    });

    it('lets deliver send as the account identities through that configuration set only', () => {
      const resources = resourcesFor(deliver, 'ses:SendEmail');
      expect(resourcesFor(deliver, 'ses:SendRawEmail')).toEqual(resources);
      expect(resources).toHaveLength(2);
      expect(flatten(resources[0])).toMatch(/:ses:.*:identity\/\*"/);
      expect(flatten(resources[1])).toMatch(/:configuration-set\/".*"Ref":"RelayConfigurationSet/);
      // Secrets: the domain key and tenants' own relays only; there is no relay secret.
      expect(flatten(resourcesFor(deliver, 'secretsmanager:GetSecretValue'))).not.toMatch(/Relay|mailroom\/smtp/);
    });

    it('creates no secret', () => {
      expect(relaySecrets(template)).toHaveLength(0);
    });
  });

  describe('with an existing configuration set', () => {
    const { template } = buildStack({ relay: { kind: 'ses', configurationSetName: 'transactional' } });

    it('uses it instead of creating one', () => {
      template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
      expect(functionEnvironment(template, 'DeliverFunction')[ENV.sesConfigurationSet]).toBe('transactional');
      expect(flatten(resourcesFor(roleStatements(template, 'DeliverFunction'), 'ses:SendEmail'))).toContain(
        ':configuration-set/transactional"',
      );
    });
  });
});

describe('relay smtp', () => {
  describe('without a secret', () => {
    const { template } = buildStack({ relay: { kind: 'smtp' } });
    const deliver = roleStatements(template, 'DeliverFunction');

    it('creates an empty secret for the operator to fill in and passes its ARN', () => {
      expect(relaySecrets(template)).toHaveLength(1);
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.absent(),
        SecretString: Match.absent(),
      });
      const env = functionEnvironment(template, 'DeliverFunction');
      expect(env[ENV.relay]).toBe('smtp');
      expect(env[ENV.smtpSecretArn]).toEqual({ Ref: expect.stringMatching(/^RelaySmtpSecret/) });
      expect(env[ENV.sesConfigurationSet]).toBeUndefined();
    });

    it('lets deliver read the secret, and nothing of SES', () => {
      // Beside the relay's secret: the domain key and tenants' own relays (tenants.test.ts).
      expect(resourcesFor(deliver, 'secretsmanager:GetSecretValue')).toContainEqual({ Ref: expect.stringMatching(/^RelaySmtpSecret/) });
      expect(flatten(deliver)).not.toContain('ses:');
      template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    });

    it('lets no other function read it', () => {
      for (const id of ['ApiFunction', 'StreamFunction']) {
        // Only the link-signing key, which is not the relay's.
        expect(flatten(resourcesFor(roleStatements(template, id), 'secretsmanager:GetSecretValue'))).not.toMatch(/Relay|mailroom\/smtp/);
      }
    });
  });

  describe('with an existing secret', () => {
    const { template } = buildStack({ relay: { kind: 'smtp', secretArn: EXISTING_SECRET } });

    it('grants reading exactly that secret and creates none', () => {
      expect(relaySecrets(template)).toHaveLength(0);
      expect(functionEnvironment(template, 'DeliverFunction')[ENV.smtpSecretArn]).toBe(EXISTING_SECRET);
      const readable = resourcesFor(roleStatements(template, 'DeliverFunction'), 'secretsmanager:GetSecretValue');
      expect(readable).toContain(EXISTING_SECRET);
      // The others are mailroom's own: the domain key and tenants' relay secrets.
      expect(readable.filter((r) => typeof r === 'string')).toEqual([EXISTING_SECRET]);
      expect(flatten(readable)).not.toContain('RelaySmtpSecret');
    });
  });
});
