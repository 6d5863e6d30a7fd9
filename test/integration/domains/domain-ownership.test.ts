/**
 * One sending domain belongs to one tenant. Two tenants on the real API handler and DynamoDB
 * Local, relay `ses`: SES identities are account-wide, so a second tenant registering the first
 * one's domain would find its published Easy DKIM records and be verified for it. SES's control
 * plane (email identities) cannot run here: it is replaced by an in-memory, account-wide fake;
 * DNS lookups go to a real DNS server on loopback.
 */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsResolver } from '../../../lib/adapters/dns/node-dns-resolver.ts';
import type { EmailIdentities, EmailIdentityState } from '../../../lib/ports/email-identities.ts';
import { VerifiedDomainPolicy } from '../../../lib/use-cases/sender-policy.ts';
import { apiHarness, expectErrorDocument, sendBody, type ApiHarness } from '../api/harness.ts';
import { startTestDnsServer, type TestDnsServer } from './dns-server.ts';

/** SES identities of one AWS account: shared by every tenant, as in SES. */
class AccountIdentities implements EmailIdentities {
  readonly identities = new Map<string, EmailIdentityState>();
  constructor(private readonly dns: TestDnsServer) {}
  async create(domain: string): Promise<EmailIdentityState> {
    const existing = this.identities.get(domain);
    if (existing) return existing;
    const state = {
      dkimTokens: [`${domain.replace(/\./g, '-')}-t1`],
      verified: false,
      mailFromMx: 'feedback-smtp.eu-west-1.amazonses.com',
    };
    this.identities.set(domain, state);
    return state;
  }
  async get(domain: string): Promise<EmailIdentityState | undefined> {
    const state = this.identities.get(domain);
    // SES verifies an identity once its DKIM CNAMEs are published.
    return (
      state && {
        ...state,
        verified: state.dkimTokens.every((t) => this.dns.zone.get(`${t}._domainkey.${domain}`)?.cname?.[0] === `${t}.dkim.amazonses.com`),
      }
    );
  }
  async delete(domain: string): Promise<void> {
    this.identities.delete(domain);
  }
}

let dns: TestDnsServer;
let ses: AccountIdentities;
let api: ApiHarness;
let adminA: string;
let adminB: string;
let sendB: string;

beforeAll(async () => {
  dns = await startTestDnsServer();
  ses = new AccountIdentities(dns);
  api = await apiHarness({
    adjust: (deps) => ({
      ...deps,
      sendingDomains: { ...deps.sendingDomains!, identities: ses, dns: new NodeDnsResolver({ servers: [dns.address], timeoutMs: 1000 }) },
      senders: new VerifiedDomainPolicy(deps.sendingDomains!.domains, { now: () => new Date() }),
    }),
  });
  [adminA, adminB, sendB] = await Promise.all([
    api.newKey('tenant-a', ['admin']),
    api.newKey('tenant-b', ['admin']),
    api.newKey('tenant-b', ['send']),
  ]);
});
afterAll(async () => {
  api?.close();
  await dns?.close();
});

/** Publishes the records SES asked for, as the domain's owner would. */
function publish(records: { type: string; name: string; value: string }[]): void {
  for (const r of records) if (r.type === 'CNAME') dns.zone.set(r.name, { cname: [r.value] });
}

/** What the domains table holds under a partition (a tenant, or a claim). */
async function partition(pk: string): Promise<number> {
  const result = await api.dynamo.send(
    new QueryCommand({
      TableName: api.tables.domains,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      Select: 'COUNT',
    }),
  );
  return result.Count ?? 0;
}

describe('domain ownership across tenants (relay ses)', () => {
  it("refuses another tenant's domain and its subdomains, without revealing the owner, storing nothing", async () => {
    const created = await api.call('POST', '/v1/domains', { key: adminA, body: { name: 'acme.example' } });
    expect(created.status).toBe(201);
    publish(created.body.records);
    expect((await api.call('GET', '/v1/domains/acme.example', { key: adminA })).body.verified).toBe(true);

    for (const name of ['ACME.example', 'news.acme.example']) {
      const taken = await api.call('POST', '/v1/domains', { key: adminB, body: { name } });
      expectErrorDocument(taken, 409, 'domain_taken');
      expect(taken.text).not.toContain('tenant-a');
    }
    expect(await partition('tenant-b')).toBe(0);
    expect((await api.call('GET', '/v1/domains', { key: adminB })).body.data).toEqual([]);
    expectErrorDocument(await api.call('GET', '/v1/domains/acme.example', { key: adminB }), 404, 'not_found');
    expectErrorDocument(
      await api.call('POST', '/v1/messages', { key: sendB, body: sendBody({ from: 'ceo@acme.example' }) }),
      422,
      'domain_not_verified',
    );
    // No SES identity was made for the subdomain (it would override the parent's for A).
    expect([...ses.identities.keys()]).toEqual(['acme.example']);
  });

  it("refuses a parent of another tenant's domain", async () => {
    expect((await api.call('POST', '/v1/domains', { key: adminA, body: { name: 'mail.corp.example' } })).status).toBe(201);
    expectErrorDocument(await api.call('POST', '/v1/domains', { key: adminB, body: { name: 'corp.example' } }), 409, 'domain_taken');
    expect(ses.identities.has('corp.example')).toBe(false);
    // The same tenant may hold both.
    expect((await api.call('POST', '/v1/domains', { key: adminA, body: { name: 'corp.example' } })).status).toBe(201);
  });

  it('claims a verified domain stored before claims existed when its tenant registers it again', async () => {
    const legacy = {
      tenant: 'tenant-a',
      name: 'old.example',
      mode: 'ses',
      records: [],
      verified: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await api.dynamo.send(
      new PutItemCommand({ TableName: api.tables.domains, Item: marshall({ ...legacy, pk: 'tenant-a', sk: 'old.example' }) }),
    );
    expect((await api.call('POST', '/v1/domains', { key: adminA, body: { name: 'old.example' } })).status).toBe(200);
    expect(await partition('claim#old.example')).toBe(1);
    expectErrorDocument(await api.call('POST', '/v1/domains', { key: adminB, body: { name: 'old.example' } }), 409, 'domain_taken');
  });

  it('does not let another tenant delete the domain or its SES identity; once the owner removes it, it is free', async () => {
    expectErrorDocument(await api.call('DELETE', '/v1/domains/acme.example', { key: adminB }), 404, 'not_found');
    expect(ses.identities.has('acme.example')).toBe(true);
    expect((await api.call('GET', '/v1/domains/acme.example', { key: adminA })).body.verified).toBe(true);

    expect((await api.call('DELETE', '/v1/domains/acme.example', { key: adminA })).status).toBe(204);
    expect(await partition('claim#acme.example')).toBe(0);
    const mine = await api.call('POST', '/v1/domains', { key: adminB, body: { name: 'acme.example' } });
    expect(mine.status).toBe(201);
    expectErrorDocument(await api.call('POST', '/v1/domains', { key: adminA, body: { name: 'acme.example' } }), 409, 'domain_taken');
  });
});
