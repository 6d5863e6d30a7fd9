import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopback, parseIp, refusedKind } from '../../../lib/domain/ip-ranges.ts';

describe('refused address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:c0a8:101::1', 'reserved'],
    ['fec0::1', 'reserved'],
    ['::1.2.3.4', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(refusedKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:93.184.216.34'])(
    '%s is public',
    (address) => {
      expect(refusedKind(address)).toBeUndefined();
    },
  );

  it('judges an IPv4 address written as IPv4-mapped IPv6 as the IPv4 address it is', () => {
    for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:0001', '::FFFF:169.254.169.254', '::ffff:a9fe:a9fe']) {
      expect(refusedKind(address)).not.toBeUndefined();
    }
    expect(refusedKind('::ffff:a9fe:a9fe')).toBe('link-local');
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
  });

  it('judges a NAT64 address by the IPv4 address it carries', () => {
    expect(refusedKind('64:ff9b::a00:1')).toBe('private'); // 10.0.0.1
    expect(refusedKind('64:ff9b::169.254.169.254')).toBe('link-local');
    expect(refusedKind('64:ff9b::808:808')).toBeUndefined(); // 8.8.8.8
  });

  it('refuses what is no IP address at all', () => {
    for (const text of ['', 'localhost', '1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0']) {
      expect(refusedKind(text)).toBe('reserved');
    }
  });

  it('reads every IPv4 address and its mapped IPv6 form alike', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(parseIp(`::ffff:${address}`)).toBe(parseIp(address));
        expect(refusedKind(`::ffff:${address}`)).toBe(refusedKind(address));
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.ipV6(), fc.ipV4Extended()), (text) => void refusedKind(text)));
  });

  it('reads every IPv6 address fast-check writes', () => {
    fc.assert(fc.property(fc.ipV6(), (address) => parseIp(address) !== undefined));
  });
});
