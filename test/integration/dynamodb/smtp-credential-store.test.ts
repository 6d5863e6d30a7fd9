import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSmtpCredentialStore } from '../../../lib/adapters/dynamodb/smtp-credential-store.ts';
import { ConflictError } from '../../../lib/domain/errors.ts';
import {
  issueSmtpCredential,
  listSmtpCredentials,
  revokeSmtpCredential,
  SmtpCredentialAuthenticator,
} from '../../../lib/use-cases/smtp-credentials.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoSmtpCredentialStore;
const clock = { now: () => new Date() };

beforeAll(async () => {
  store = new DynamoSmtpCredentialStore(client, (await freshTables(client)).smtpCredentials);
});
afterAll(() => client.destroy());

describe('SMTP credentials on DynamoDB', () => {
  it('authenticates an issued credential until it is revoked, and never with a wrong password', async () => {
    const tenant = uniqueId('t');
    const issued = await issueSmtpCredential({ credentials: store, clock }, tenant, { description: 'billing app' });
    const auth = new SmtpCredentialAuthenticator(store);

    expect(await auth.authenticate(issued.username, issued.password)).toEqual({ tenant, scopes: ['send'] });
    const wrong = `${issued.password.slice(0, -1)}${issued.password.endsWith('A') ? 'B' : 'A'}`;
    expect(await auth.authenticate(issued.username, wrong)).toBeUndefined();
    expect(await auth.authenticate('mr_smtp_aaaaaaaaaa', issued.password)).toBeUndefined();

    const stored = await store.get(issued.username);
    expect(JSON.stringify(stored)).not.toContain(issued.password);

    await expect(revokeSmtpCredential({ credentials: store, clock }, issued.username, { tenant: 'someone-else' })).rejects.toMatchObject({
      status: 404,
    });
    expect(await auth.authenticate(issued.username, issued.password)).toBeDefined();

    const revoked = await revokeSmtpCredential({ credentials: store, clock }, issued.username, { tenant });
    expect(revoked.revokedAt).toBeDefined();
    expect(await auth.authenticate(issued.username, issued.password)).toBeUndefined();
    // Revoking again keeps the first time.
    expect((await revokeSmtpCredential({ credentials: store, clock }, issued.username)).revokedAt).toBe(revoked.revokedAt);
    await expect(revokeSmtpCredential({ credentials: store, clock }, 'mr_smtp_zzzzzzzzzz')).rejects.toMatchObject({ status: 404 });
  });

  it('lists a tenant’s credentials page by page without secrets, and refuses a taken username', async () => {
    const tenant = uniqueId('t');
    const deps = { credentials: store, clock };
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await issueSmtpCredential(deps, tenant));
    await issueSmtpCredential(deps, uniqueId('other'));

    const first = await listSmtpCredentials(deps, tenant, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.cursor).toBeDefined();
    const second = await listSmtpCredentials(deps, tenant, { limit: 2, cursor: first.cursor });
    const names = [...first.items, ...second.items].map((item) => item.username);
    expect(names.sort()).toEqual(made.map((item) => item.username).sort());
    expect(JSON.stringify([first, second])).not.toMatch(/passwordHash|password/);
    await expect(listSmtpCredentials(deps, 'another', { limit: 2, cursor: first.cursor })).rejects.toMatchObject({ status: 400 });

    await expect(store.create({ ...made[0]!, passwordHash: 'x' })).rejects.toBeInstanceOf(ConflictError);
  });
});
