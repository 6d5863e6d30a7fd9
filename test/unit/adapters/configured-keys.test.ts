import { createHash, randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { readDomainKey } from '../../../lib/adapters/domain-key.ts';
import { readLinkKey } from '../../../lib/adapters/link-key.ts';
import { ConfigError } from '../../../lib/config.ts';
import { ENV } from '../../../lib/env.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type ScriptedResponse } from './fake-aws-endpoint.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mailroom-key-AbCdEf';
const RANDOM = 'k'.repeat(20) + randomBytes(16).toString('hex');

// No Secrets Manager emulator runs here: a loopback endpoint answers GetSecretValue like the
// service (JSON protocol) and the real client reads it.
describe('the link-signing key and the domain key', () => {
  let fake: FakeAwsEndpoint | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function clientAnswering(response: ScriptedResponse) {
    fake = await startFakeAwsEndpoint(() => response);
    return new SecretsManagerClient({ ...localClientConfig(fake.endpoint), maxAttempts: 1 });
  }
  const json = { 'content-type': 'application/x-amz-json-1.1' };
  const secret = (value: string) => ({ headers: json, body: JSON.stringify({ ARN, Name: 'mailroom-key', SecretString: value }) });

  it('reads the secret: its bytes for links, their SHA-256 for the domain key', async () => {
    const client = await clientAnswering(secret(` ${RANDOM}\n`));
    expect(await readLinkKey({ [ENV.linkSecretArn]: ARN }, client)).toEqual(Buffer.from(RANDOM, 'utf8'));
    const kek = await readDomainKey({ [ENV.domainKeySecretArn]: ARN }, client);
    expect(kek.key).toEqual(createHash('sha256').update(RANDOM, 'utf8').digest());
  });

  it('names the secret, never its value, when it cannot be read or is too short', async () => {
    const denied = await clientAnswering({
      status: 400,
      headers: { ...json, 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ message: 'not allowed' }),
    });
    await expect(readLinkKey({ [ENV.linkSecretArn]: ARN }, denied)).rejects.toThrow(
      `the link-signing key in secret ${ARN} could not be read: AccessDeniedException`,
    );
    await expect(readDomainKey({ [ENV.domainKeySecretArn]: ARN }, denied)).rejects.toThrow(
      `the domain key in secret ${ARN} could not be read: AccessDeniedException`,
    );
    await fake?.close();
    const short = await clientAnswering(secret('short-secret'));
    await expect(readLinkKey({ [ENV.linkSecretArn]: ARN }, short)).rejects.toThrow(/must hold a random string of at least 32 characters/);
    const error = await readDomainKey({ [ENV.domainKeySecretArn]: ARN }, short).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).not.toContain('short-secret');
  });

  it('takes base64 or base64url in the variables, and refuses anything else', async () => {
    const bytes = randomBytes(32);
    expect(await readLinkKey({ [ENV.linkSecret]: bytes.toString('base64url') })).toEqual(bytes);
    expect((await readDomainKey({ [ENV.domainKeySecret]: bytes.toString('base64') })).key).toEqual(bytes);
    await expect(readLinkKey({ [ENV.linkSecret]: 'not base64!' })).rejects.toThrow(`environment variable ${ENV.linkSecret} must be base64`);
    await expect(readDomainKey({ [ENV.domainKeySecret]: 'not base64!' })).rejects.toThrow(
      `environment variable ${ENV.domainKeySecret} must be base64`,
    );
    await expect(readDomainKey({ [ENV.domainKeySecret]: randomBytes(16).toString('base64') })).rejects.toThrow(/must hold 32 bytes/);
    await expect(readLinkKey({})).rejects.toThrow(/no key to sign links/);
  });
});
