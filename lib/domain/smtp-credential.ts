/**
 * SMTP credentials: a username and a random password per tenant, for SMTP submission. The
 * password is shown once and stored only as a SHA-256 hash; like API keys it carries 256
 * random bits, so a fast hash is right (no dictionary to slow down).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SmtpCredentialRecord {
  /** `mr_smtp_` and 10 random characters: the SMTP AUTH username. */
  username: string;
  /** Hex SHA-256 of the password. The password itself is never stored. */
  passwordHash: string;
  tenant: string;
  description?: string;
  createdAt: string;
  revokedAt?: string;
}

/** An issued credential: the record plus the password, shown once. */
export interface IssuedSmtpCredential extends SmtpCredentialRecord {
  password: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const USERNAME = /^mr_smtp_[a-z2-7]{10}$/;
const PASSWORD = /^[A-Za-z0-9_-]{43}$/;

/** A new username: `mr_smtp_` and 10 base32 characters (50 random bits; unique, not secret). */
export function generateSmtpUsername(): string {
  const bytes = randomBytes(10);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte & 31];
  return `mr_smtp_${suffix}`;
}

/** A new password: 32 random bytes in base64url. */
export function generateSmtpPassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a string has the shape of a mailroom SMTP username (cheap check before any lookup). */
export function looksLikeSmtpUsername(value: string): boolean {
  return USERNAME.test(value);
}

/** Whether a string has the shape of a mailroom SMTP password. */
export function looksLikeSmtpPassword(value: string): boolean {
  return PASSWORD.test(value);
}

/** The stored form of a password. */
export function hashSmtpPassword(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

/** Whether `password` matches the stored hash, compared in constant time. */
export function smtpPasswordMatches(password: string, passwordHash: string): boolean {
  const actual = Buffer.from(hashSmtpPassword(password), 'hex');
  const expected = Buffer.from(passwordHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Most characters of a credential's description. */
export const SMTP_DESCRIPTION_MAX = 200;
