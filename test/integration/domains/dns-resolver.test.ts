/** The DNS resolver adapter against a DNS server on loopback: joined TXT strings, not found, failures. */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsServers, NodeDnsResolver } from '../../../lib/adapters/dns/node-dns-resolver.ts';
import { startTestDnsServer, type TestDnsServer } from './dns-server.ts';

let dns: TestDnsServer;
let resolver: NodeDnsResolver;

beforeAll(async () => {
  dns = await startTestDnsServer();
  resolver = new NodeDnsResolver({ servers: [dns.address] });
  dns.zone.set('shop.example', { txt: [['v=spf1 ', 'mx ~all'], ['other']], mx: [{ priority: 10, exchange: 'MX.Shop.Example' }] });
  dns.zone.set('t1._domainkey.shop.example', { cname: ['t1.dkim.amazonses.com'] });
  dns.broken.add('broken.example');
});
afterAll(() => dns?.close());

describe('NodeDnsResolver', () => {
  it('joins the strings of each TXT record and normalises hosts', async () => {
    expect((await resolver.lookup('TXT', 'shop.example')) as { values: string[] }).toEqual({
      values: expect.arrayContaining(['v=spf1 mx ~all', 'other']),
    });
    expect(await resolver.lookup('MX', 'shop.example')).toEqual({ values: ['10 mx.shop.example'] });
    expect(await resolver.lookup('CNAME', 't1._domainkey.shop.example')).toEqual({ values: ['t1.dkim.amazonses.com'] });
  });

  it('answers nothing for a missing name or type, and an error for SERVFAIL or no answer', async () => {
    expect(await resolver.lookup('TXT', 'nothing.example')).toEqual({ values: [] });
    expect(await resolver.lookup('CNAME', 'shop.example')).toEqual({ values: [] });
    expect(await resolver.lookup('TXT', 'broken.example')).toEqual({ error: 'DNS lookup failed (ESERVFAIL)' });

    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const slow = new NodeDnsResolver({ servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 200 });
      expect(await slow.lookup('TXT', 'shop.example')).toEqual({ error: 'DNS lookup failed (ETIMEOUT)' });
    } finally {
      silent.close();
    }
  });

  it('reads MAILROOM_DNS_SERVERS', () => {
    expect(dnsServers({})).toBeUndefined();
    expect(dnsServers({ MAILROOM_DNS_SERVERS: '127.0.0.1:5353, [::1]:53,dns.example' })).toEqual([
      '127.0.0.1:5353',
      '[::1]:53',
      'dns.example',
    ]);
    expect(() => dnsServers({ MAILROOM_DNS_SERVERS: 'http://x' })).toThrow(/MAILROOM_DNS_SERVERS/);
    expect(() => dnsServers({ MAILROOM_DNS_SERVERS: '127.0.0.1:70000' })).toThrow(/MAILROOM_DNS_SERVERS/);
  });
});
