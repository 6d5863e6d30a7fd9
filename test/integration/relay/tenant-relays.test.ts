import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTenantStore } from '../../../lib/adapters/dynamodb/tenant-store.ts';
import { MemorySecretStore } from '../../../lib/adapters/secrets/folder-secret-store.ts';
import { SmtpRelay } from '../../../lib/adapters/smtp/smtp-relay.ts';
import { TenantRelays } from '../../../lib/adapters/tenant-relays.ts';
import type { Tenant } from '../../../lib/domain/tenant.ts';
import type { MailRelay, OutgoingMail, RelayResult } from '../../../lib/ports/mail-relay.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { outgoingMail, startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

const client = dynamoClient();
let tenants: DynamoTenantStore;
let deployment: TestSmtpServer;
let own: TestSmtpServer;
const secrets = new MemorySecretStore();
const at = new Date().toISOString();

/** Stands in for SesRelay: SES cannot take configuration sets locally; this records which set was chosen. */
class RecordingSes implements MailRelay {
  static sent: { set: string | undefined; id: string }[] = [];
  constructor(private readonly set: string | undefined) {}
  async send(mail: OutgoingMail): Promise<RelayResult> {
    RecordingSes.sent.push({ set: this.set, id: mail.id });
    return { relay: 'ses', recipients: mail.envelope.to.map((email) => ({ email, code: 250, response: 'ok' })) };
  }
  async close(): Promise<void> {}
}

function tenant(id: string, settings: Partial<Tenant> = {}): Tenant {
  return { id, name: id, createdAt: at, updatedAt: at, sending: { status: 'active' }, ...settings };
}

let relays: TenantRelays;
let fallback: SmtpRelay;

beforeAll(async () => {
  tenants = new DynamoTenantStore(client, (await freshTables(client)).tenants);
  [deployment, own] = await Promise.all([startTestSmtpServer(), startTestSmtpServer({ user: 'acme', pass: 'acme-secret' })]);
  const secret = await secrets.put('acme/smtp-relay', `smtp://acme:acme-secret@127.0.0.1:${own.port}`);
  await tenants.create(tenant('acme', { relay: { kind: 'smtp', secret, display: 'smtp://acme:***@127.0.0.1' } }));
  await tenants.create(tenant('pooled', { ipPool: 'dedicated-1' }));
  await tenants.create(tenant('own-set', { relay: { kind: 'ses', configurationSet: 'own-set' } }));
  await tenants.create(tenant('lost', { relay: { kind: 'smtp', secret: 'local:lost/smtp-relay' } }));
  fallback = new SmtpRelay(deployment.url);
  relays = new TenantRelays({
    tenants,
    fallback,
    smtpRelayFor: (url) => new SmtpRelay(url),
    sesRelayFor: (set) => new RecordingSes(set),
    secrets,
    ipPools: { 'dedicated-1': 'pool-1-set' },
    deploymentRelayIsSes: true,
  });
});
afterAll(async () => {
  await relays.close();
  await fallback.close();
  await Promise.all([deployment.close(), own.close()]);
  client.destroy();
});

describe('TenantRelays', () => {
  it("sends a tenant's mail through its own SMTP relay and everyone else's through the deployment's", async () => {
    const mine = outgoingMail({ tenant: 'acme', to: ['a@remote.test'] });
    const theirs = outgoingMail({ tenant: 'no-record', to: ['b@remote.test'] });
    const [a, b] = await Promise.all([relays.send(mine), relays.send(theirs)]);
    expect(a.recipients[0]?.code).toBe(250);
    expect(b.recipients[0]?.code).toBe(250);
    expect(own.received.map((r) => r.rcptTo)).toEqual([['a@remote.test']]);
    expect(deployment.received.map((r) => r.rcptTo)).toEqual([['b@remote.test']]);

    // The pool is reused: a second message opens no new session.
    const sessions = own.sessions;
    await relays.send(outgoingMail({ tenant: 'acme', to: ['c@remote.test'] }));
    expect(own.sessions).toBe(sessions);
    expect(own.received).toHaveLength(2);
  });

  it('sends through the configuration set of the tenant, or of its dedicated IP pool', async () => {
    RecordingSes.sent = [];
    const pooled = outgoingMail({ tenant: 'pooled' });
    const ownSet = outgoingMail({ tenant: 'own-set' });
    await relays.send(pooled);
    await relays.send(ownSet);
    expect(RecordingSes.sent).toEqual([
      { set: 'pool-1-set', id: pooled.id },
      { set: 'own-set', id: ownSet.id },
    ]);
  });

  it('fails the send (the job is retried) rather than use another relay when the tenant relay secret cannot be read', async () => {
    const before = deployment.received.length;
    await expect(relays.send(outgoingMail({ tenant: 'lost', to: ['x@remote.test'] }))).rejects.toThrow();
    expect(deployment.received).toHaveLength(before);
    // Once the secret is there, the next message goes out through the tenant's relay.
    await secrets.put('lost/smtp-relay', `smtp://acme:acme-secret@127.0.0.1:${own.port}`);
    expect((await relays.send(outgoingMail({ tenant: 'lost', to: ['z@remote.test'] }))).recipients[0]?.code).toBe(250);
    expect(own.received.at(-1)?.rcptTo).toEqual(['z@remote.test']);
  });
});
