/** Sending-domain rules: names, record checks, verification, key sealing, the sender policy. */
import { describe, expect, it } from 'vitest';
import { generateDkimKeyPair, keyContext, keyEncryptionKey, openPrivateKey, sealPrivateKey } from '../../lib/domain/dkim-key.ts';
import {
  checkRecord,
  dkimKeyRecord,
  dkimSelector,
  dmarcRecord,
  mailFromRecords,
  sesDkimRecords,
  spfRecord,
} from '../../lib/domain/dns-records.ts';
import { DomainNotVerifiedError, ValidationError } from '../../lib/domain/errors.ts';
import {
  checkDomainDepth,
  domainAndParents,
  domainTakenError,
  parseDomainName,
  verifiedAfterCheck,
  type RecordCheck,
  type SendingDomain,
} from '../../lib/domain/sending-domain.ts';
import { systemClock } from '../../lib/ports/clock.ts';
import { parseVerifiedDomains, VerifiedDomainPolicy } from '../../lib/use-cases/sender-policy.ts';
import { clockAt } from '../support/fakes/index.ts';

describe('domain names', () => {
  it('stores lower-case A-labels and refuses what is not a domain', () => {
    expect(parseDomainName(' Shop.Example ')).toBe('shop.example');
    expect(parseDomainName('bücher.example')).toBe('xn--bcher-kva.example');
    for (const bad of [
      '',
      'localhost',
      'shop.example.',
      'a..b',
      '-a.example',
      'a_b.example',
      'shop.example/x',
      `${'a'.repeat(64)}.example`,
      `${'a.'.repeat(127)}example`,
      42,
    ]) {
      expect(() => parseDomainName(bad), String(bad)).toThrow(ValidationError);
    }
  });

  it('refuses to register a domain deeper than its claim can be written in one transaction', () => {
    expect(() => checkDomainDepth(`${'a.'.repeat(30)}example.com`)).not.toThrow();
    expect(() => checkDomainDepth(`${'a.'.repeat(31)}example.com`)).toThrow(ValidationError);
  });

  it('answers a taken domain with 409 domain_taken, naming no tenant', () => {
    expect(domainTakenError('shop.example')).toMatchObject({
      status: 409,
      code: 'domain_taken',
      message: expect.stringContaining('"shop.example"'),
    });
  });

  it('lists a domain and its parents down to two labels', () => {
    expect(domainAndParents('a.b.example.com')).toEqual(['a.b.example.com', 'b.example.com', 'example.com']);
    expect(domainAndParents('example.com')).toEqual(['example.com']);
  });
});

describe('record checks', () => {
  const key = dkimKeyRecord('shop.example', 'mr202611', 'MIIBIjAN+abc/def==');

  it('builds the records of both modes', () => {
    expect(dkimSelector(new Date('2026-03-04T00:00:00Z'))).toBe('mr202603');
    expect(key).toEqual({
      type: 'TXT',
      name: 'mr202611._domainkey.shop.example',
      value: 'v=DKIM1; k=rsa; p=MIIBIjAN+abc/def==',
      purpose: 'dkim',
      required: true,
    });
    expect(sesDkimRecords('shop.example', ['tok1'])).toEqual([
      { type: 'CNAME', name: 'tok1._domainkey.shop.example', value: 'tok1.dkim.amazonses.com', purpose: 'dkim', required: true },
    ]);
    expect(mailFromRecords('shop.example', 'feedback-smtp.eu-west-1.amazonses.com').map((r) => [r.type, r.name, r.value])).toEqual([
      ['MX', 'mail.shop.example', 'feedback-smtp.eu-west-1.amazonses.com'],
      ['TXT', 'mail.shop.example', 'v=spf1 include:amazonses.com ~all'],
    ]);
  });

  it('compares a DKIM key ignoring whitespace and tag order', () => {
    expect(checkRecord(key, { values: ['k=rsa; v=DKIM1; p=MIIBIjAN+abc /def=='] }).status).toBe('verified');
    expect(checkRecord(key, { values: ['v=DKIM1; k=rsa; p=MIIBIjAN+abc/xyz=='] }).status).toBe('mismatch');
    expect(checkRecord(key, { values: ['unrelated text'] }).status).toBe('missing');
    expect(checkRecord(key, { values: [] })).toMatchObject({ status: 'missing', found: [] });
    expect(checkRecord(key, { error: 'DNS lookup failed (ETIMEOUT)' })).toMatchObject({
      status: 'error',
      error: 'DNS lookup failed (ETIMEOUT)',
    });
  });

  it('checks CNAMEs and MX hosts without case or trailing dot, SPF and DMARC by their shape', () => {
    const [cname] = sesDkimRecords('shop.example', ['tok1']);
    expect(checkRecord(cname!, { values: ['TOK1.dkim.amazonses.com.'] }).status).toBe('verified');
    expect(checkRecord(cname!, { values: ['other.example'] }).status).toBe('mismatch');
    const [mx, mailFromSpf] = mailFromRecords('shop.example', 'feedback-smtp.eu-west-1.amazonses.com');
    expect(checkRecord(mx!, { values: ['10 feedback-smtp.eu-west-1.amazonses.com'] }).status).toBe('verified');
    expect(checkRecord(mailFromSpf!, { values: ['v=spf1 include:amazonses.com -all'] }).status).toBe('verified');
    const spf = spfRecord('shop.example', 'amazonses.com');
    expect(checkRecord(spf, { values: ['v=spf1 mx ~all'] }).status).toBe('mismatch');
    expect(checkRecord(spf, { values: ['v=spf1 include:amazonses.com ~all', 'v=spf1 mx ~all'] }).status).toBe('mismatch');
    expect(
      checkRecord(spfRecord('shop.example'), { values: ['v=spf1 include:_spf.relay.example ~all', 'site-verification=1'] }).status,
    ).toBe('verified');
    expect(checkRecord(dmarcRecord('shop.example'), { values: ['v=DMARC1; p=reject'] }).status).toBe('verified');
    expect(checkRecord(dmarcRecord('shop.example'), { values: [] }).status).toBe('missing');
  });

  it('verifies a domain when every required record is found, and keeps the state through a DNS outage', () => {
    const check = (status: RecordCheck['status'], required = true) => ({ ...key, required, status, found: [] });
    expect(verifiedAfterCheck(false, [check('verified'), check('missing', false)])).toBe(true);
    expect(verifiedAfterCheck(true, [check('mismatch')])).toBe(false);
    expect(verifiedAfterCheck(true, [check('error')])).toBe(true);
    expect(verifiedAfterCheck(false, [check('error')])).toBe(false);
    expect(verifiedAfterCheck(false, [check('verified')], false)).toBe(false);
  });
});

describe('DKIM private keys', () => {
  it('are sealed with AES-256-GCM under the key-encryption key, bound to tenant and domain', async () => {
    const kek = keyEncryptionKey(Buffer.alloc(32, 7));
    const { publicKey, privateKeyPem } = await generateDkimKeyPair();
    expect(Buffer.from(publicKey, 'base64').length).toBeGreaterThan(256);
    const sealed = sealPrivateKey(kek, privateKeyPem, keyContext('acme', 'shop.example'));
    expect(sealed.keyId).toBe(kek.id);
    expect(JSON.stringify(sealed)).not.toContain('PRIVATE KEY');
    expect(openPrivateKey(kek, sealed, keyContext('acme', 'shop.example'))).toBe(privateKeyPem);
    expect(() => openPrivateKey(kek, sealed, keyContext('other', 'shop.example'))).toThrow();
    expect(() => openPrivateKey(keyEncryptionKey(Buffer.alloc(32, 8)), sealed, keyContext('acme', 'shop.example'))).toThrow(
      /sealed under key/,
    );
    const altered = {
      ...sealed,
      ciphertext: Buffer.from('x' + Buffer.from(sealed.ciphertext, 'base64').toString('latin1').slice(1), 'latin1').toString('base64'),
    };
    expect(() => openPrivateKey(kek, altered, keyContext('acme', 'shop.example'))).toThrow();
  });
});

describe('sender policy', () => {
  it('reads MAILROOM_VERIFIED_DOMAINS', () => {
    expect(parseVerifiedDomains(undefined)).toEqual({ required: true, exempt: [] });
    expect(parseVerifiedDomains('required')).toEqual({ required: true, exempt: [] });
    expect(parseVerifiedDomains('off')).toEqual({ required: false });
    expect(parseVerifiedDomains('off:dev, qa')).toEqual({ required: true, exempt: ['dev', 'qa'] });
    expect(parseVerifiedDomains('maybe')).toBeUndefined();
    expect(parseVerifiedDomains('off:dev,,')).toBeUndefined();
  });

  it('allows verified domains and their subdomains, caches answers, and forgets on change', async () => {
    const clock = clockAt('2026-11-28T00:00:00Z');
    const stored = new Map<string, boolean>([
      ['acme\nshop.example', true],
      ['acme\npending.example', false],
    ]);
    let reads = 0;
    const domains = {
      get: async (tenant: string, name: string) => {
        reads++;
        const verified = stored.get(`${tenant}\n${name}`);
        return verified === undefined ? undefined : ({ tenant, name, verified } as SendingDomain);
      },
      owner: async (name: string) => (name === 'shop.example' ? 'acme' : undefined),
    };
    const policy = new VerifiedDomainPolicy(domains, clock, { exempt: ['dev'] });
    await policy.check('acme', 'a@shop.example');
    await policy.check('acme', 'a@news.shop.example');
    await expect(policy.check('acme', 'a@pending.example')).rejects.toThrow(DomainNotVerifiedError);
    await expect(policy.check('other', 'a@shop.example')).rejects.toMatchObject({
      status: 422,
      code: 'domain_not_verified',
      details: { domain: 'shop.example' },
    });
    await policy.check('dev', 'a@anything.example');

    const before = reads;
    await policy.check('acme', 'b@shop.example');
    expect(reads).toBe(before);
    stored.set('acme\nshop.example', false);
    clock.advance(29_000);
    await policy.check('acme', 'b@shop.example');
    policy.forget('acme', 'shop.example');
    await expect(policy.check('acme', 'b@shop.example')).rejects.toThrow(DomainNotVerifiedError);
  });

  it('never takes a domain as verified for a tenant that does not hold its claim', async () => {
    // Both tenants hold a verified item (stored before claims existed); acme holds the claim.
    const domains = {
      get: async (tenant: string, name: string) => ({ tenant, name, verified: true }) as SendingDomain,
      owner: async (name: string) => (name === 'shop.example' ? 'acme' : undefined),
    };
    const policy = new VerifiedDomainPolicy(domains, systemClock);
    await policy.check('acme', 'a@shop.example');
    await expect(policy.check('intruder', 'a@shop.example')).rejects.toThrow(DomainNotVerifiedError);
    // A domain no tenant has claimed yet counts for the tenant whose item it is.
    await policy.check('intruder', 'a@unclaimed.example');
  });
});
