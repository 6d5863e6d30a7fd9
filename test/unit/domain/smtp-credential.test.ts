import { describe, expect, it } from 'vitest';
import {
  generateSmtpPassword,
  generateSmtpUsername,
  hashSmtpPassword,
  looksLikeSmtpPassword,
  looksLikeSmtpUsername,
  smtpPasswordMatches,
} from '../../../lib/domain/smtp-credential.ts';

describe('SMTP credentials', () => {
  it('makes usernames `mr_smtp_` + 10 base32 characters, each different', () => {
    const names = new Set(Array.from({ length: 200 }, generateSmtpUsername));
    expect(names.size).toBe(200);
    for (const name of names) expect(name).toMatch(/^mr_smtp_[a-z2-7]{10}$/);
    for (const name of names) expect(looksLikeSmtpUsername(name)).toBe(true);
    expect(looksLikeSmtpUsername('mr_smtp_abc')).toBe(false);
    expect(looksLikeSmtpUsername('someone@example.com')).toBe(false);
  });

  it('makes 256-bit base64url passwords', () => {
    const password = generateSmtpPassword();
    expect(Buffer.from(password, 'base64url')).toHaveLength(32);
    expect(looksLikeSmtpPassword(password)).toBe(true);
    expect(looksLikeSmtpPassword(`${password}x`)).toBe(false);
    expect(generateSmtpPassword()).not.toBe(password);
  });

  it('stores the SHA-256 hex of the password and matches only that password', () => {
    const password = generateSmtpPassword();
    const hash = hashSmtpPassword(password);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(password);
    expect(smtpPasswordMatches(password, hash)).toBe(true);
    expect(smtpPasswordMatches(generateSmtpPassword(), hash)).toBe(false);
    expect(smtpPasswordMatches(password, 'not-a-hash')).toBe(false);
  });
});
