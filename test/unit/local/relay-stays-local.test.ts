/** Local mode turns the return path on only while mail stays on this machine. */
import { describe, expect, it } from 'vitest';
import { relayStaysLocal } from '../../../lib/local/endpoints.ts';

describe('relayStaysLocal', () => {
  it('is true for the mailbox and SMTP relays on loopback', () => {
    for (const relay of ['capture', 'smtp://127.0.0.1:2526', 'smtp://localhost:25', 'smtp://user:pw@127.8.9.1:587', 'smtp://[::1]:2525']) {
      expect(relayStaysLocal(relay), relay).toBe(true);
    }
  });

  it('is false for SES, relays elsewhere, and what does not parse', () => {
    for (const relay of ['ses', 'smtp://smtp.example.com:587', 'smtps://10.0.0.5:465', 'smtp://localhost.example.com', 'not a url']) {
      expect(relayStaysLocal(relay), relay).toBe(false);
    }
  });
});
