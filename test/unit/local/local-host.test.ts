import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../../../lib/local/local-host.ts';

describe('isLocalHost', () => {
  it('takes localhost, names under .localhost and loopback addresses, with any port', () => {
    for (const host of [
      'localhost',
      'LOCALHOST:3000',
      'mailroom.localhost:8080',
      '127.0.0.1',
      '127.0.0.1:3000',
      '127.8.9.1:1',
      '[::1]',
      '[::1]:3000',
    ])
      expect(isLocalHost(host)).toBe(true);
  });

  it('refuses other names and addresses, and anything that is not a plain host', () => {
    for (const host of [
      undefined,
      '',
      'evil.example:3000',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      'localhost.',
      'evillocalhost',
      '10.0.0.1:3000',
      '[fd00::2]:3000',
      '[::ffff:127.0.0.1]',
      'evil.example@127.0.0.1',
      '127.0.0.1/evil',
      '127.0.0.1:3000:4000',
      '127.1',
    ])
      expect(isLocalHost(host)).toBe(false);
  });

  it('refuses every name that is not localhost or under it', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 65535 })), (labels, port) => {
        const name = labels.join('.');
        fc.pre(name !== 'localhost' && !name.endsWith('.localhost') && !/^127\.\d+\.\d+\.\d+$/.test(name));
        expect(isLocalHost(port === null ? name : `${name}:${port}`)).toBe(false);
      }),
    );
  });
});
