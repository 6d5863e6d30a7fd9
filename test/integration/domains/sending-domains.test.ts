/**
 * Sending domains through the local runtime with verification required: register a domain,
 * check its records against a DNS server on loopback (missing, wrong key, published), refuse
 * mail from it until it is verified, then deliver DKIM-signed mail through the capture relay
 * and verify the signature with mailauth against the same DNS server.
 */
import { Resolver } from 'node:dns/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startTestDnsServer, type TestDnsServer } from './dns-server.ts';

let dns: TestDnsServer;
let runtime: LocalRuntime;

beforeAll(async () => {
  dns = await startTestDnsServer();
  runtime = await startPipeline({ env: { [ENV.verifiedDomains]: 'required', [ENV.dnsServers]: dns.address } });
});
afterAll(async () => {
  await runtime?.stop();
  await dns?.close();
});

const message = { from: 'Shop <orders@shop.example>', to: 'ann@remote.test', subject: 'Your order', text: 'It ships today.' };

/** Records of the kind the API answers. */
interface ApiRecord {
  type: string;
  name: string;
  value: string;
  purpose: string;
  required: boolean;
  status?: string;
  found?: string[];
}

const byPurpose = (records: ApiRecord[], purpose: string) => records.filter((r) => r.purpose === purpose);

async function storedMessages(): Promise<number> {
  const scan = await runtime.dynamo.send(new ScanCommand({ TableName: runtime.env[ENV.messagesTable], Select: 'COUNT' }));
  return scan.Count ?? 0;
}

/** mailauth's lookups go to the loopback server too. */
function loopbackResolver() {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([dns.address]);
  return (name: string, type: string) => resolver.resolve(name, type) as Promise<string[][] | string[]>;
}

describe('sending domains', () => {
  let dkim: ApiRecord;

  it('registers a domain once and answers the records to publish', async () => {
    const created = await call(runtime, 'POST', '/v1/domains', { name: 'Shop.Example' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'shop.example', mode: 'dkim', status: 'pending', verified: false, verified_at: null });
    const records = created.body.records as ApiRecord[];
    [dkim] = byPurpose(records, 'dkim') as [ApiRecord];
    expect(dkim).toMatchObject({ type: 'TXT', name: `${created.body.dkim_selector}._domainkey.shop.example`, required: true });
    expect(created.body.dkim_selector).toMatch(/^mr\d{6}$/);
    expect(dkim.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    expect(byPurpose(records, 'spf')).toEqual([
      expect.objectContaining({ type: 'TXT', name: 'shop.example', value: expect.stringMatching(/^v=spf1 /), required: false }),
    ]);
    expect(byPurpose(records, 'dmarc')).toEqual([
      expect.objectContaining({ type: 'TXT', name: '_dmarc.shop.example', value: expect.stringMatching(/^v=DMARC1; p=none/) }),
    ]);
    expect(created.body.guidance.join(' ')).toContain('only one SPF record');
    expect(JSON.stringify(created.body)).not.toMatch(/PRIVATE KEY|ciphertext/);

    const again = await call(runtime, 'POST', '/v1/domains', { name: 'shop.example' });
    expect(again.status).toBe(200);
    expect(again.body.records).toEqual(created.body.records);

    expect((await call(runtime, 'POST', '/v1/domains', { name: 'localhost' })).status).toBe(400);
    expect((await call(runtime, 'POST', '/v1/domains', { name: 'shop.example.' })).body.error.details).toEqual([
      { field: 'name', message: 'must not end with a dot' },
    ]);
    const listed = await call(runtime, 'GET', '/v1/domains');
    expect(listed.body.data.map((d: { name: string }) => d.name)).toEqual(['shop.example']);
  });

  it('refuses mail from the domain until it is verified, storing nothing', async () => {
    const refused = await call(runtime, 'POST', '/v1/messages', message);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'domain_not_verified', details: { domain: 'shop.example' } });
    expect(await storedMessages()).toBe(0);
    const campaign = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: '01JD0000000000000000000000',
      from: message.from,
      subject: 'News',
      text: 'Hi',
    });
    expect(campaign.body.error?.code).toBe('domain_not_verified');
  });

  it('reports records missing before they are published, and a wrong key as a mismatch', async () => {
    const before = await call(runtime, 'GET', '/v1/domains/shop.example');
    expect(before.status).toBe(200);
    expect(before.body.verified).toBe(false);
    expect((before.body.records as ApiRecord[]).map((r) => r.status)).toEqual(['missing', 'missing', 'missing']);

    // Another key at the selector (as after a botched copy): found, but not ours.
    const at = dkim.value.length - 60;
    const wrong = `${dkim.value.slice(0, at)}${dkim.value[at] === 'A' ? 'B' : 'A'}${dkim.value.slice(at + 1)}`;
    // One DNS string holds at most 255 bytes: a key record is always published split.
    dns.zone.set(dkim.name, { txt: [[wrong.slice(0, 250), wrong.slice(250)]] });
    const tampered = await call(runtime, 'GET', '/v1/domains/shop.example');
    expect(byPurpose(tampered.body.records, 'dkim')[0]).toMatchObject({ status: 'mismatch', found: [wrong] });
    expect(tampered.body.verified).toBe(false);
  });

  it('verifies the domain once its records are published (a TXT split in strings joined)', async () => {
    const key = dkim.value;
    dns.zone.set(dkim.name, { txt: [[key.slice(0, 200), key.slice(200)]] });
    dns.zone.set('shop.example', { txt: [['v=spf1 a mx ~all'], ['google-site-verification=abc']] });
    dns.zone.set('_dmarc.shop.example', { txt: [['v=DMARC1; p=none']] });
    const checked = await call(runtime, 'GET', '/v1/domains/shop.example');
    expect(checked.body).toMatchObject({
      status: 'verified',
      verified: true,
      verified_at: expect.any(String),
      checked_at: expect.any(String),
    });
    expect((checked.body.records as ApiRecord[]).map((r) => [r.purpose, r.status])).toEqual([
      ['dkim', 'verified'],
      ['spf', 'verified'],
      ['dmarc', 'verified'],
    ]);
    expect(byPurpose(checked.body.records, 'dkim')[0]!.found).toEqual([key]);

    // A lookup that fails says so, and does not unverify the domain.
    dns.broken.add(dkim.name);
    const outage = await call(runtime, 'GET', '/v1/domains/shop.example');
    expect(byPurpose(outage.body.records, 'dkim')[0]).toMatchObject({ status: 'error', error: expect.stringContaining('SERVFAIL') });
    expect(outage.body.verified).toBe(true);
    dns.broken.delete(dkim.name);
  });

  it('delivers DKIM-signed mail that a verifier accepts, and a changed body fails', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...message, cc: 'carl@remote.test' });
    expect(sent.status).toBe(202);
    await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    const [mail] = (await runtime.capture!.waitFor(1)).filter((m) =>
      m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === sent.body.id),
    );
    expect(mail).toBeDefined();
    const raw = Buffer.from(mail!.raw, 'utf8');
    const signature = mail!.headers.find(([name]) => name === 'DKIM-Signature')?.[1] ?? '';
    expect(signature).toMatch(/c=relaxed\/relaxed/);
    expect(signature).toMatch(/d=shop\.example/);
    expect(signature.replace(/\s+/g, '')).toMatch(/h=[^;]*from[^;]*subject[^;]*/i);
    expect(signature.replace(/\s+/g, '').toLowerCase()).toMatch(/h=[^;]*\bcc\b/);

    const verified = await dkimVerify(raw, { resolver: loopbackResolver() });
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]).toMatchObject({ signingDomain: 'shop.example', status: { result: 'pass', aligned: 'shop.example' } });

    const tampered = Buffer.from(mail!.raw.replace('It ships today.', 'It ships never.'), 'utf8');
    const failed = await dkimVerify(tampered, { resolver: loopbackResolver() });
    expect(failed.results[0]!.status.result).not.toBe('pass');
  });

  it('lets subdomains of a verified domain send, and refuses again once the domain is removed', async () => {
    const sub = await call(runtime, 'POST', '/v1/messages', { ...message, from: 'news@letters.shop.example' });
    expect(sub.status).toBe(202);

    expect((await call(runtime, 'DELETE', '/v1/domains/shop.example')).status).toBe(204);
    expect((await call(runtime, 'GET', '/v1/domains/shop.example')).status).toBe(404);
    const refused = await call(runtime, 'POST', '/v1/messages', message);
    expect(refused.body.error?.code).toBe('domain_not_verified');
  });
});
