/** The return path (VERP): tokens only mailroom can make, that name a message and hide the recipient. */
import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { returnPathConfig } from '../../../lib/config.ts';
import { checkRecord, returnPathRecords } from '../../../lib/domain/dns-records.ts';
import { createLinkSigner } from '../../../lib/domain/links.ts';
import {
  bounceDomain,
  createReturnPathSigner,
  matchBounceDomain,
  returnPathAddress,
  returnPathToken,
  TOKEN_LENGTH,
} from '../../../lib/domain/return-path.ts';

const key = Buffer.alloc(32, 7);
const signer = createReturnPathSigner(key);
const id = '01M8HC6RCH8RQF05HS4EE24JD1';

describe('return-path tokens', () => {
  it('verify to the message and the tag of the recipient, for any ULID and address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.emailAddress(), (time, address) => {
        const messageId = ulid(time);
        const token = signer.sign(messageId, address);
        expect(token).toHaveLength(TOKEN_LENGTH);
        expect(signer.verify(token!)).toEqual({ messageId, recipientTag: signer.recipientTag(address) });
        // Some servers fold the case of local parts.
        expect(signer.verify(token!.toUpperCase())?.messageId).toBe(messageId);
      }),
      { numRuns: 200 },
    );
  });

  it('fit an address local part (at most 64 characters) and never show the recipient', () => {
    const token = signer.sign(id, 'ann.lee@example.org')!;
    const address = returnPathAddress(token, 'bounces.shop.example');
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(address).toMatch(/^bounce\+[a-z2-7]{48}@bounces\.shop\.example$/);
    expect(address).not.toContain('ann');
    expect(returnPathToken(address)).toBe(token);
    expect(returnPathToken('bounce+short@bounces.shop.example')).toBeUndefined();
    expect(returnPathToken('someone@bounces.shop.example')).toBeUndefined();
  });

  it('tell recipients apart by tag, whatever the case of the address', () => {
    expect(signer.recipientTag('Ann@Example.org')).toBe(signer.recipientTag('ann@example.org'));
    expect(signer.recipientTag('ann@example.org')).not.toBe(signer.recipientTag('bob@example.org'));
  });

  it('refuse any altered character, another key, and non-ULID ids', () => {
    const token = signer.sign(id, 'ann@example.org')!;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: TOKEN_LENGTH - 1 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567'), (at, char) => {
        fc.pre(token[at] !== char);
        expect(signer.verify(token.slice(0, at) + char + token.slice(at + 1))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    expect(createReturnPathSigner(Buffer.alloc(32, 8)).verify(token)).toBeUndefined();
    expect(signer.verify(`${token}a`)).toBeUndefined();
    expect(signer.verify('1'.repeat(TOKEN_LENGTH))).toBeUndefined();
    expect(signer.sign('campaign-42', 'ann@example.org')).toBeUndefined();
  });

  it('are not link tokens: the same key signs each for its own purpose', () => {
    const links = createLinkSigner(key);
    const token = signer.sign(id, 'ann@example.org')!;
    expect(links.verify(token)).toBeUndefined();
  });
});

describe('bounce domains', () => {
  it('are bounces.<domain> unless one is configured', () => {
    expect(bounceDomain('Shop.Example')).toBe('bounces.shop.example');
    expect(bounceDomain('shop.example', 'rp.mailroom.example')).toBe('rp.mailroom.example');
    expect(matchBounceDomain('Bounces.Shop.Example')).toEqual({ kind: 'sending', domain: 'shop.example' });
    expect(matchBounceDomain('rp.mailroom.example', 'rp.mailroom.example')).toEqual({ kind: 'configured' });
    expect(matchBounceDomain('bounces.example')).toBeUndefined();
    expect(matchBounceDomain('in.shop.example')).toBeUndefined();
  });

  it('have an MX at the inbound service and an SPF record for the relay, checked like the others', () => {
    const [mx, spf] = returnPathRecords('bounces.shop.example', 'inbound-smtp.eu-west-1.amazonaws.com', '_spf.relay.example');
    expect(mx).toMatchObject({ type: 'MX', name: 'bounces.shop.example', value: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 });
    expect(spf).toMatchObject({ type: 'TXT', name: 'bounces.shop.example', value: 'v=spf1 include:_spf.relay.example ~all' });
    expect(checkRecord(mx!, { values: ['10 inbound-smtp.eu-west-1.amazonaws.com.'] }).status).toBe('verified');
    expect(checkRecord(mx!, { values: ['10 mx.other.example'] }).status).toBe('mismatch');
    expect(checkRecord(spf!, { values: ['v=spf1 include:_spf.relay.example -all'] }).status).toBe('verified');
    expect(checkRecord(spf!, { values: [] }).status).toBe('missing');
  });
});

describe('returnPathConfig', () => {
  it('is on with an MX host, off when unset or `off`, and names a malformed host', () => {
    expect(returnPathConfig({ MAILROOM_RETURN_PATH_MX: 'inbound-smtp.eu-west-1.amazonaws.com' })).toEqual({
      mx: 'inbound-smtp.eu-west-1.amazonaws.com',
    });
    expect(returnPathConfig({ MAILROOM_RETURN_PATH_MX: 'localhost', MAILROOM_BOUNCE_DOMAIN: 'rp.example.com' })).toEqual({
      mx: 'localhost',
      bounceDomain: 'rp.example.com',
    });
    expect(returnPathConfig({})).toBeUndefined();
    expect(returnPathConfig({ MAILROOM_RETURN_PATH_MX: 'off' })).toBeUndefined();
    expect(() => returnPathConfig({ MAILROOM_RETURN_PATH_MX: 'not a host' })).toThrow(/MAILROOM_RETURN_PATH_MX/);
  });
});
