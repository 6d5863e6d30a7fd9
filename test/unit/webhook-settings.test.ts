import { describe, expect, it } from 'vitest';
import { ConfigError, webhookSettings } from '../../lib/config.ts';

describe('webhook settings', () => {
  it('default to a 5 s base, 10 endpoints, https on 443 only', () => {
    expect(webhookSettings({})).toEqual({ retryBaseSeconds: 5, maxEndpoints: 10, urlPolicy: { ports: [443], allowHttpLoopback: false } });
  });

  it('read the variables, a fractional base among them', () => {
    expect(
      webhookSettings({
        MAILROOM_WEBHOOK_RETRY_BASE_SECONDS: '0.05',
        MAILROOM_WEBHOOK_MAX_ENDPOINTS: '3',
        MAILROOM_WEBHOOK_PORTS: '443, 8443',
        MAILROOM_WEBHOOK_HTTP_LOOPBACK: 'true',
      }),
    ).toEqual({ retryBaseSeconds: 0.05, maxEndpoints: 3, urlPolicy: { ports: [443, 8443], allowHttpLoopback: true } });
  });

  it('name the malformed variable', () => {
    expect(() => webhookSettings({ MAILROOM_WEBHOOK_RETRY_BASE_SECONDS: '-1' })).toThrow(/MAILROOM_WEBHOOK_RETRY_BASE_SECONDS/);
    expect(() => webhookSettings({ MAILROOM_WEBHOOK_RETRY_BASE_SECONDS: '5s' })).toThrow(ConfigError);
    expect(() => webhookSettings({ MAILROOM_WEBHOOK_PORTS: '443,http' })).toThrow(/MAILROOM_WEBHOOK_PORTS/);
    expect(() => webhookSettings({ MAILROOM_WEBHOOK_MAX_ENDPOINTS: '0' })).toThrow(/MAILROOM_WEBHOOK_MAX_ENDPOINTS/);
    expect(() => webhookSettings({ MAILROOM_WEBHOOK_HTTP_LOOPBACK: 'yes' })).toThrow(/MAILROOM_WEBHOOK_HTTP_LOOPBACK/);
  });
});
