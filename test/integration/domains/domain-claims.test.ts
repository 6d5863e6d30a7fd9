/**
 * Claims on domain names lapse unless verified, and public suffixes cannot be claimed: the real
 * API handler over DynamoDB Local with a clock the test moves, DNS lookups against a DNS server on
 * loopback. DKIM mode (mailroom's own keys) and SES mode (account-wide identities, replaced by an
 * in-memory fake since SES's control plane cannot run here).
 */
import { randomBytes } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsResolver } from '../../../lib/adapters/dns/node-dns-resolver.ts';
import { keyEncryptionKey } from '../../../lib/domain/dkim-key.ts';
import type { EmailIdentities, EmailIdentityState } from '../../../lib/ports/email-identities.ts';
import { apiHarness, type Answer, type ApiHarness } from '../api/harness.ts';
import { startTestDnsServer, type TestDnsServer } from './dns-server.ts';

const HOUR = 3600 * 1000;
const kek = keyEncryptionKey(randomBytes(32));

/** A clock the test moves forward. */
class MovableClock {
  #at = Date.parse('2026-12-01T09:00:00Z');
  now = () => new Date(this.#at);
  advance(ms: number): void {
    this.#at += ms;
  }
}

/** SES identities of one AWS account, verified once their DKIM CNAMEs are published. */
class AccountIdentities implements EmailIdentities {
  readonly identities = new Map<string, EmailIdentityState>();
  constructor(private readonly dns: TestDnsServer) {}
  async create(domain: string): Promise<EmailIdentityState> {
    const state = this.identities.get(domain) ?? {
      dkimTokens: [`${domain.replace(/\./g, '-')}-t1`],
      verified: false,
      mailFromMx: 'mx.ses',
    };
    this.identities.set(domain, state);
    return state;
  }
  async get(domain: string): Promise<EmailIdentityState | undefined> {
    const state = this.identities.get(domain);
    const published = (t: string) => this.dns.zone.get(`${t}._domainkey.${domain}`)?.cname?.[0] === `${t}.dkim.amazonses.com`;
    return state && { ...state, verified: state.dkimTokens.every(published) };
  }
  async delete(domain: string): Promise<void> {
    this.identities.delete(domain);
  }
}

let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startTestDnsServer();
});
afterAll(async () => {
  await dns?.close();
});

/** The API with two tenants' admin keys, in DKIM mode or (with `ses`) SES mode. */
async function twoTenants(ses = false) {
  const clock = new MovableClock();
  const identities = new AccountIdentities(dns);
  const api = await apiHarness({
    adjust: (deps) => ({
      ...deps,
      sendingDomains: {
        ...deps.sendingDomains!,
        clock,
        domainKey: async () => kek,
        dns: new NodeDnsResolver({ servers: [dns.address], timeoutMs: 1000 }),
        ...(ses && { identities }),
      },
    }),
  });
  const [a, b] = await Promise.all([api.newKey('tenant-a', ['admin']), api.newKey('tenant-b', ['admin'])]);
  const register = (key: string, name: string) => api.call('POST', '/v1/domains', { key, body: { name } });
  const check = (key: string, name: string) => api.call('GET', `/v1/domains/${name}`, { key });
  return { api, clock, a, b, register, check };
}

/** Publishes a registration's DKIM record (a TXT in DKIM mode, CNAMEs with SES), as the domain's owner would. */
function publish(answer: Answer): void {
  for (const r of answer.body.records as { type: string; name: string; value: string; purpose: string }[]) {
    if (r.type === 'CNAME') dns.zone.set(r.name, { cname: [r.value] });
    else if (r.purpose === 'dkim') dns.zone.set(r.name, { txt: [[r.value.slice(0, 200), r.value.slice(200)]] });
  }
}

describe('public suffixes', () => {
  let api: ApiHarness;
  let register: (key: string, name: string) => Promise<Answer>;
  let a: string;
  beforeAll(async () => ({ api, register, a } = await twoTenants(true)));
  afterAll(() => api?.close());

  it.each(['co.uk', 'github.io', 'CO.UK', 's3.amazonaws.com'])('refuses %s with 422 public_suffix, storing nothing', async (name) => {
    const answer = await register(a, name);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'public_suffix', message: expect.stringContaining('public suffix') });
    expect((await api.call('GET', '/v1/domains', { key: a })).body.data).toEqual([]);
  });

  it('takes a domain registered under a public suffix, which then blocks only itself', async () => {
    expect((await register(a, 'bigbank.co.uk')).status).toBe(201);
    const { b, register: registerB, api: other } = await twoTenants(true);
    try {
      expect((await registerB(b, 'otherbank.co.uk')).status).toBe(201);
    } finally {
      other.close();
    }
  });
});

describe('an unverified claim (DKIM mode)', () => {
  let t: Awaited<ReturnType<typeof twoTenants>>;
  beforeAll(async () => void (t = await twoTenants()));
  afterAll(() => t?.api.close());

  it('holds the name for 72 hours, then lets another tenant take it', async () => {
    const first = await t.register(t.a, 'squat.example');
    expect(first.status).toBe(201);
    t.clock.advance(71 * HOUR);
    expect((await t.register(t.b, 'squat.example')).body.error?.code).toBe('domain_taken');
    t.clock.advance(2 * HOUR);
    const taken = await t.register(t.b, 'squat.example');
    expect(taken.status).toBe(201);

    // The first tenant's own records no longer verify the name for it: the claim is another's.
    expect((await t.register(t.a, 'squat.example')).body.error?.code).toBe('domain_taken');
    publish(first);
    expect((await t.check(t.a, 'squat.example')).body).toMatchObject({ verified: false, status: 'pending' });
    // The new holder verifies with its own key and holds the name for good.
    publish(taken);
    expect((await t.check(t.b, 'squat.example')).body).toMatchObject({ verified: true });
    t.clock.advance(1000 * HOUR);
    expect((await t.check(t.a, 'squat.example')).body.verified).toBe(false);
    expect((await t.register(t.a, 'squat.example')).body.error?.code).toBe('domain_taken');
  });

  it('is not extended by registering the domain again', async () => {
    expect((await t.register(t.a, 'again.example')).status).toBe(201);
    t.clock.advance(70 * HOUR);
    expect((await t.register(t.a, 'again.example')).status).toBe(200);
    t.clock.advance(3 * HOUR);
    expect((await t.register(t.b, 'again.example')).status).toBe(201);
  });

  it('holds for good once verified', async () => {
    const created = await t.register(t.a, 'owned.example');
    publish(created);
    expect((await t.check(t.a, 'owned.example')).body.verified).toBe(true);
    t.clock.advance(500 * HOUR);
    expect((await t.register(t.b, 'owned.example')).body.error?.code).toBe('domain_taken');
  });
});

describe('claims written before claims could lapse', () => {
  let t: Awaited<ReturnType<typeof twoTenants>>;
  beforeAll(async () => void (t = await twoTenants()));
  afterAll(() => t?.api.close());

  /** Writes a claim and domain item as they were stored before: no `verified`, no `holdUntil`. */
  async function oldClaim(name: string, verified: boolean, createdAt: string): Promise<void> {
    const table = t.api.tables.domains;
    await t.api.dynamo.send(
      new PutItemCommand({ TableName: table, Item: marshall({ pk: `claim#${name}`, sk: '#', tenant: 'tenant-a', claimedAt: createdAt }) }),
    );
    await t.api.dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({
          pk: 'tenant-a',
          sk: name,
          tenant: 'tenant-a',
          name,
          mode: 'dkim',
          records: [],
          verified,
          createdAt,
          updatedAt: createdAt,
        }),
      }),
    );
  }
  const claimOf = async (name: string) =>
    unmarshall(
      (await t.api.dynamo.send(new GetItemCommand({ TableName: t.api.tables.domains, Key: marshall({ pk: `claim#${name}`, sk: '#' }) })))
        .Item ?? {},
    );

  it('lapse 72 hours after they were made when the domain is unverified', async () => {
    await oldClaim('old-squat.example', false, '2026-11-01T00:00:00Z');
    expect((await t.register(t.b, 'old-squat.example')).status).toBe(201);
    expect(await claimOf('old-squat.example')).toMatchObject({ tenant: 'tenant-b' });
  });

  it('hold for good when the domain is verified', async () => {
    await oldClaim('old-owned.example', true, '2026-11-01T00:00:00Z');
    expect((await t.register(t.b, 'old-owned.example')).body.error?.code).toBe('domain_taken');
    expect(await claimOf('old-owned.example')).toMatchObject({ tenant: 'tenant-a', verified: true });
  });
});

describe('claims on parents and subdomains (SES mode)', () => {
  let t: Awaited<ReturnType<typeof twoTenants>>;
  beforeAll(async () => void (t = await twoTenants(true)));
  afterAll(() => t?.api.close());

  it("an unverified parent's claim stops blocking its subdomains once it lapses", async () => {
    expect((await t.register(t.a, 'parent.example')).status).toBe(201);
    expect((await t.register(t.b, 'mail.parent.example')).body.error?.code).toBe('domain_taken');
    t.clock.advance(73 * HOUR);
    expect((await t.register(t.b, 'mail.parent.example')).status).toBe(201);
  });

  it('a verified subdomain keeps blocking its parent', async () => {
    const sub = await t.register(t.a, 'news.brand.example');
    publish(sub);
    expect((await t.check(t.a, 'news.brand.example')).body.verified).toBe(true);
    t.clock.advance(100 * HOUR);
    expect((await t.register(t.b, 'brand.example')).body.error?.code).toBe('domain_taken');
  });
});
