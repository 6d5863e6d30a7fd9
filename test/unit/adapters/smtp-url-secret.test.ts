import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { SmtpSecretError, readSmtpUrlSecret } from '../../../lib/adapters/smtp/smtp-url-secret.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type ScriptedResponse } from './fake-aws-endpoint.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mailroom-smtp-AbCdEf';

// No Secrets Manager emulator runs here: a loopback endpoint answers GetSecretValue like the
// service (JSON protocol) and the real client reads it.
describe('readSmtpUrlSecret', () => {
  let fake: FakeAwsEndpoint | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function clientAnswering(response: ScriptedResponse) {
    fake = await startFakeAwsEndpoint(() => response);
    return new SecretsManagerClient({ ...localClientConfig(fake.endpoint), maxAttempts: 1 });
  }
  const secret = (value: Record<string, unknown>) => ({
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ ARN, Name: 'mailroom-smtp', ...value }),
  });

  it('reads a bare URL or JSON {"url"}', async () => {
    expect(await readSmtpUrlSecret(await clientAnswering(secret({ SecretString: ' smtps://u:p@smtp.example.org:465 \n' })), ARN)).toBe(
      'smtps://u:p@smtp.example.org:465',
    );
    expect(JSON.parse(fake!.requests[0]!.body)).toEqual({ SecretId: ARN });
    await fake?.close();
    expect(await readSmtpUrlSecret(await clientAnswering(secret({ SecretString: '{"url":"smtp://relay.example.org:587"}' })), ARN)).toBe(
      'smtp://relay.example.org:587',
    );
  });

  it.each([
    ['an empty secret', { SecretString: '  ' }, /is empty or binary/],
    ['a binary secret', { SecretBinary: 'AAEC' }, /is empty or binary/],
    ['malformed JSON', { SecretString: '{"url": "smtp://u:hunter2@x' }, /malformed JSON/],
    ['JSON without url', { SecretString: '{"host":"x"}' }, /without a string "url"/],
    ['another scheme', { SecretString: 'https://u:hunter2@relay.example.org' }, /not hold a valid smtp/],
  ])('names the secret and hides the value for %s', async (_case, value, problem) => {
    const error = (await readSmtpUrlSecret(await clientAnswering(secret(value)), ARN).catch((e: unknown) => e)) as SmtpSecretError;
    expect(error).toBeInstanceOf(SmtpSecretError);
    expect(error.message).toContain(ARN);
    expect(error.message).toMatch(problem);
    expect(`${error.message} ${String(error.cause)}`).not.toContain('hunter2');
  });

  it('names the secret when it cannot be read', async () => {
    const client = await clientAnswering({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }),
    });
    await expect(readSmtpUrlSecret(client, ARN)).rejects.toThrow(new RegExp(`secret ${ARN} could not be read: ResourceNotFoundException`));
  });
});
