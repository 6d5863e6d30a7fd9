import { describe, expect, it } from 'vitest';
import { ConfigError, smtpLimits } from '../../../lib/config.ts';
import { ENV } from '../../../lib/env.ts';
import { SMTP_SERVICE } from '../../../lib/topology.ts';

describe('smtpLimits', () => {
  it('defaults to the service’s limits: a 60 s login deadline and 20 connections per address', () => {
    expect(smtpLimits({})).toEqual({
      maxMessageBytes: SMTP_SERVICE.maxMessageBytes,
      authDeadlineMs: 60_000,
      maxConnectionsPerAddress: 20,
    });
  });

  it('reads the deadline in seconds and the cap from the environment', () => {
    const limits = smtpLimits({ [ENV.smtpAuthDeadlineSeconds]: '15', [ENV.smtpMaxConnectionsPerAddress]: ' 5 ' });
    expect(limits).toMatchObject({ authDeadlineMs: 15_000, maxConnectionsPerAddress: 5 });
  });

  it.each([
    [ENV.smtpAuthDeadlineSeconds, '0'],
    [ENV.smtpAuthDeadlineSeconds, '1.5'],
    [ENV.smtpAuthDeadlineSeconds, '3601'],
    [ENV.smtpMaxConnectionsPerAddress, '0'],
    [ENV.smtpMaxConnectionsPerAddress, 'many'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => smtpLimits({ [name]: value })).toThrow(ConfigError);
    expect(() => smtpLimits({ [name]: value })).toThrow(name);
  });
});
