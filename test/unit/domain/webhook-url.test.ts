import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressesProblem,
  addressProblem,
  checkWebhookUrl,
  DEFAULT_WEBHOOK_URL_POLICY,
  type WebhookUrlPolicy,
} from '../../../lib/domain/webhook-url.ts';

const AWS = DEFAULT_WEBHOOK_URL_POLICY;
const LOCAL: WebhookUrlPolicy = { ports: [443], allowHttpLoopback: true };

const problem = (url: string, policy = AWS) => {
  const checked = checkWebhookUrl(url, policy);
  return checked.ok ? undefined : checked.problem;
};

describe('webhook URLs in AWS', () => {
  it('accepts https:// on port 443 and normalises the URL', () => {
    const checked = checkWebhookUrl('HTTPS://Hooks.Example.com:443/in?x=1', AWS);
    expect(checked).toEqual({
      ok: true,
      target: {
        href: 'https://hooks.example.com/in?x=1',
        protocol: 'https:',
        host: 'hooks.example.com',
        port: 443,
        literal: false,
        path: '/in?x=1',
      },
    });
  });

  it('refuses other schemes, other ports, credentials and fragments', () => {
    expect(problem('http://hooks.example.com/in')).toBe('must be an https:// URL');
    expect(problem('ftp://hooks.example.com/in')).toBe('must be an https:// URL');
    expect(problem('https://hooks.example.com:8443/in')).toBe('must use port 443 (the https default)');
    expect(problem('https://user:pw@hooks.example.com/in')).toMatch(/user name or password/);
    expect(problem('https://hooks.example.com/in#x')).toBe('must not have a #fragment');
    expect(problem('not a url')).toBe('is not a valid absolute URL');
    expect(problem(`https://hooks.example.com/${'a'.repeat(2048)}`)).toMatch(/at most 2048/);
  });

  it('takes the ports of a configured allow-list', () => {
    const policy = { ports: [443, 8443], allowHttpLoopback: false };
    expect(problem('https://hooks.example.com:8443/in', policy)).toBeUndefined();
    expect(problem('https://hooks.example.com:9000/in', policy)).toBe('must use port 443 or 8443');
  });

  it('marks IP literals, IPv6 without brackets', () => {
    const checked = checkWebhookUrl('https://[2606:4700::1111]/in', AWS);
    expect(checked.ok && checked.target).toMatchObject({ host: '2606:4700::1111', literal: true });
    // Numeric host forms are normalised to the address they mean.
    const decimal = checkWebhookUrl('https://2130706433/in', AWS);
    expect(decimal.ok && decimal.target).toMatchObject({ host: '127.0.0.1', literal: true });
  });

  it('refuses addresses that are not public unicast', () => {
    const https = { protocol: 'https:' } as const;
    expect(addressProblem('10.1.2.3', https)).toBe('resolves to 10.1.2.3, a private address');
    expect(addressProblem('169.254.169.254', https)).toBe('resolves to 169.254.169.254, a link-local address');
    expect(addressProblem('::ffff:127.0.0.1', https)).toBe('resolves to ::ffff:127.0.0.1, a loopback address');
    expect(addressProblem('93.184.216.34', https)).toBeUndefined();
    // One bad address among several is enough to refuse: a connection could pick it.
    expect(addressesProblem(['93.184.216.34', 'fd00::1'], https)).toBe('resolves to fd00::1, a unique-local address');
    expect(addressesProblem([], https)).toBe('does not resolve to any address');
  });
});

describe('webhook URLs in local mode', () => {
  it('also accepts http:// to loopback, on any port', () => {
    expect(problem('http://127.0.0.1:4567/hook', LOCAL)).toBeUndefined();
    expect(problem('http://[::1]:4567/hook', LOCAL)).toBeUndefined();
    expect(problem('http://localhost:4567/hook', LOCAL)).toBeUndefined();
    expect(addressProblem('127.0.0.1', { protocol: 'http:' })).toBeUndefined();
  });

  it('refuses anything else AWS would refuse', () => {
    expect(problem('http://10.0.0.1/hook', LOCAL)).toBe('may use http:// only to this machine (loopback)');
    expect(problem('https://hooks.example.com:4567/hook', LOCAL)).toMatch(/port 443/);
    expect(addressProblem('192.168.1.20', { protocol: 'http:' })).toMatch(/not to this machine/);
    // https:// to loopback is refused as in AWS: only http:// has the local exception.
    expect(addressProblem('127.0.0.1', { protocol: 'https:' })).toMatch(/loopback address/);
  });
});

describe('the URL check', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.webUrl()), (text) => void checkWebhookUrl(text, LOCAL)));
  });
});
