/**
 * Sending domains with relay `ses`: the SES v2 identities adapter and registration in mode
 * `ses`. aws-ses-v2-local does not implement email identities, so the SESv2Client's `send` is
 * stubbed here (the real client is used, only its transport is replaced).
 */
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it, vi } from 'vitest';
import { SesEmailIdentities } from '../../lib/adapters/ses/ses-identities.ts';
import type { SendingDomain } from '../../lib/domain/sending-domain.ts';
import type { DomainStore } from '../../lib/ports/domain-store.ts';
import { registerDomain, deleteDomain } from '../../lib/use-cases/domains.ts';
import { clockAt, memoryLog } from '../support/fakes/index.ts';

type Sent = { name: string; input: Record<string, unknown> };

function stubbedSes(answer: (name: string, input: Record<string, unknown>) => unknown): { client: SESv2Client; sent: Sent[] } {
  const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const sent: Sent[] = [];
  vi.spyOn(client, 'send').mockImplementation((async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    sent.push({ name: command.constructor.name, input: command.input });
    return answer(command.constructor.name, command.input);
  }) as never);
  return { client, sent };
}

const identity = (verified: boolean) => ({ DkimAttributes: { Tokens: ['t1', 't2', 't3'] }, VerifiedForSendingStatus: verified });

describe('SES identities', () => {
  it('creates an Easy DKIM identity (RSA 2048) with the custom MAIL FROM domain', async () => {
    const { client, sent } = stubbedSes((name) =>
      name === 'CreateEmailIdentityCommand'
        ? { DkimAttributes: { Tokens: ['t1', 't2', 't3'] } }
        : name === 'GetEmailIdentityCommand'
          ? identity(false)
          : {},
    );
    const state = await new SesEmailIdentities(client).create('shop.example', 'mail.shop.example');
    expect(state).toEqual({ dkimTokens: ['t1', 't2', 't3'], verified: false, mailFromMx: 'feedback-smtp.eu-west-1.amazonses.com' });
    expect(sent.map((s) => s.name)).toEqual([
      CreateEmailIdentityCommand.name,
      PutEmailIdentityMailFromAttributesCommand.name,
      GetEmailIdentityCommand.name,
    ]);
    expect(sent[0]!.input).toEqual({ EmailIdentity: 'shop.example', DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } });
    expect(sent[1]!.input).toEqual({
      EmailIdentity: 'shop.example',
      MailFromDomain: 'mail.shop.example',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
  });

  it('answers an identity that exists already, and treats a missing one as absent', async () => {
    const { client } = stubbedSes((name) => {
      if (name === 'CreateEmailIdentityCommand') throw new AlreadyExistsException({ message: 'exists', $metadata: {} });
      if (name === 'GetEmailIdentityCommand') return identity(true);
      if (name === 'DeleteEmailIdentityCommand') throw new NotFoundException({ message: 'gone', $metadata: {} });
      return {};
    });
    const identities = new SesEmailIdentities(client);
    expect(await identities.create('shop.example', 'mail.shop.example')).toMatchObject({ dkimTokens: ['t1', 't2', 't3'], verified: true });
    await expect(identities.delete('shop.example')).resolves.toBeUndefined();
    const { client: empty } = stubbedSes(() => {
      throw new NotFoundException({ message: 'no such identity', $metadata: {} });
    });
    expect(await new SesEmailIdentities(empty).get('shop.example')).toBeUndefined();
  });

  it('registers a domain in mode ses: DKIM CNAMEs, MAIL FROM, SPF and DMARC, no key of its own; removal deletes the identity', async () => {
    const { client, sent } = stubbedSes((name) => (name === 'GetEmailIdentityCommand' ? identity(false) : {}));
    const { deps, saved } = sesDeps(client);
    const { created, domain } = await registerDomain(deps, 'acme', { name: 'shop.example' });
    expect(created).toBe(true);
    expect(domain.mode).toBe('ses');
    expect(domain.records.map((r) => [r.purpose, r.type, r.name, r.value])).toEqual([
      ['dkim', 'CNAME', 't1._domainkey.shop.example', 't1.dkim.amazonses.com'],
      ['dkim', 'CNAME', 't2._domainkey.shop.example', 't2.dkim.amazonses.com'],
      ['dkim', 'CNAME', 't3._domainkey.shop.example', 't3.dkim.amazonses.com'],
      ['mail_from', 'MX', 'mail.shop.example', 'feedback-smtp.eu-west-1.amazonses.com'],
      ['mail_from', 'TXT', 'mail.shop.example', 'v=spf1 include:amazonses.com ~all'],
      ['spf', 'TXT', 'shop.example', 'v=spf1 include:amazonses.com ~all'],
      ['dmarc', 'TXT', '_dmarc.shop.example', 'v=DMARC1; p=none; adkim=r; aspf=r'],
    ]);
    expect(saved.get('acme\nshop.example')?.privateKey).toBeUndefined();
    await deleteDomain(deps, 'acme', 'shop.example');
    expect(sent.at(-1)?.name).toBe(DeleteEmailIdentityCommand.name);
    expect(saved.size).toBe(0);
  });

  it("refuses another tenant's domain before SES is asked, and only the claim's holder deletes the identity", async () => {
    const { client, sent } = stubbedSes((name) => (name === 'GetEmailIdentityCommand' ? identity(true) : {}));
    const { deps, saved, claims } = sesDeps(client);
    claims.set('shop.example', 'acme');
    await expect(registerDomain(deps, 'intruder', { name: 'shop.example' })).rejects.toMatchObject({ status: 409, code: 'domain_taken' });
    await expect(registerDomain(deps, 'intruder', { name: 'news.shop.example' })).rejects.toMatchObject({
      status: 409,
      code: 'domain_taken',
    });
    expect(sent).toEqual([]);
    expect(saved.size).toBe(0);

    // An item of the intruder's stored before claims existed: removing it leaves SES's identity alone.
    saved.set('intruder\nshop.example', {
      tenant: 'intruder',
      name: 'shop.example',
      mode: 'ses',
      records: [],
      verified: true,
      createdAt: '',
      updatedAt: '',
    });
    await deleteDomain(deps, 'intruder', 'shop.example');
    expect(sent.map((s) => s.name)).not.toContain(DeleteEmailIdentityCommand.name);
    expect(saved.size).toBe(0);
  });
});

/** Domain routes in mode ses over an in-memory store (claims by exact name and by parent). */
function sesDeps(client: SESv2Client) {
  const saved = new Map<string, SendingDomain>();
  const claims = new Map<string, string>();
  const related = (name: string) => [...claims.keys()].filter((c) => c === name || name.endsWith(`.${c}`) || c.endsWith(`.${name}`));
  const store: DomainStore = {
    get: async (tenant, name) => saved.get(`${tenant}\n${name}`),
    owner: async (name) => claims.get(name),
    claimedByOther: async (tenant, name, scope) =>
      (scope.related ? related(name) : [name]).some((c) => claims.has(c) && claims.get(c) !== tenant),
    create: async (domain) => (
      saved.set(`${domain.tenant}\n${domain.name}`, domain),
      claims.set(domain.name, domain.tenant),
      { created: true, domain }
    ),
    claim: async (tenant, name) => void claims.set(name, tenant),
    confirmClaim: async (tenant, name) => [undefined, tenant].includes(claims.get(name)) && (claims.set(name, tenant), true),
    list: async () => ({ items: [...saved.values()] }),
    saveCheck: async () => {
      throw new Error('not used');
    },
    delete: async (tenant, name) => (claims.get(name) === tenant && claims.delete(name), saved.delete(`${tenant}\n${name}`)),
  };
  const deps = {
    domains: store,
    dns: { lookup: async () => ({ values: [] }) },
    identities: new SesEmailIdentities(client),
    domainKey: async () => {
      throw new Error('mode ses makes no key');
    },
    clock: clockAt('2026-11-28T00:00:00Z'),
    log: memoryLog(),
  };
  return { deps, saved, claims };
}
