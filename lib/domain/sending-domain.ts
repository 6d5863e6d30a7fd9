/**
 * Sending domains: the domains a tenant may send from once their DNS records are published.
 * A domain is signed either by Amazon SES (Easy DKIM, relay `ses`) or by mailroom itself with
 * a key pair it makes (SMTP relays); either way it is verified by looking its records up.
 */
import { asciiDomain } from './address.ts';
import { ConflictError, ValidationError } from './errors.ts';

/** `ses`: SES signs (Easy DKIM CNAMEs); `dkim`: mailroom signs with its own key. */
export type DomainMode = 'ses' | 'dkim';

/** What a DNS record is for. */
export type RecordPurpose = 'dkim' | 'spf' | 'dmarc' | 'mail_from' | 'return_path';

/** A record the domain's owner publishes. */
export interface DnsRecord {
  type: 'TXT' | 'CNAME' | 'MX';
  /** Fully qualified name, without a trailing dot. */
  name: string;
  /** TXT text, CNAME target or MX exchange. */
  value: string;
  /** MX preference. */
  priority?: number;
  purpose: RecordPurpose;
  /** Whether verification depends on it (DKIM); the rest is advice that improves delivery. */
  required: boolean;
}

/** What a lookup found for a record: `error` means it could not be checked (SERVFAIL, timeout), not that it is wrong. */
export type RecordStatus = 'verified' | 'missing' | 'mismatch' | 'error';

/** A record with the outcome of its last check. */
export interface RecordCheck extends DnsRecord {
  status: RecordStatus;
  /** The values found at the name (TXT strings joined, CNAME targets, `priority exchange` for MX). */
  found: string[];
  /** Why the record could not be checked. */
  error?: string;
}

/** A private key encrypted with AES-256-GCM under the key-encryption key `keyId` (all base64). */
export interface EncryptedKey {
  /** Which key-encryption key sealed it, so keys can be rotated later. */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** The stored sending domain. */
export interface SendingDomain {
  tenant: string;
  /** Lower-case ASCII (A-label) form. */
  name: string;
  mode: DomainMode;
  /** DKIM selector of mailroom's key (mode `dkim`). */
  selector?: string;
  /** Base64 DER (SPKI) public key (mode `dkim`). */
  publicKey?: string;
  /** The PEM private key, encrypted (mode `dkim`); decrypted only in memory when signing. */
  privateKey?: EncryptedKey;
  records: DnsRecord[];
  /** The last check's outcome per record, in the order of `records`. */
  checks?: RecordCheck[];
  checkedAt?: string;
  /** SES's own view of the identity at the last check (mode `ses`). */
  sesVerified?: boolean;
  verified: boolean;
  verifiedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A domain name as given by a caller, in its stored form: trimmed, lower case, an IDN in its
 * ASCII (A-label) form, at least two labels, no trailing dot, at most 253 characters.
 * @throws ValidationError naming `field`.
 */
export function parseDomainName(input: unknown, field = 'name'): string {
  const invalid = (message: string) => new ValidationError('The domain name is invalid.', [{ field, message }]);
  if (typeof input !== 'string' || input.trim() === '') throw invalid('is required: a domain name such as example.com');
  const value = input.trim();
  if (value.endsWith('.')) throw invalid('must not end with a dot');
  const ascii = asciiDomain(value);
  if (!ascii) throw invalid('must be a domain name of at least two labels (letters, digits, hyphens), at most 253 characters');
  return ascii;
}

/** The domain named by a path parameter (URL-encoded or not). @throws ValidationError. */
export function pathDomain(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  return parseDomainName(decoded);
}

/**
 * Most labels a domain may have to be registered: its claim, and a mark under each of its
 * parents, are written in one DynamoDB transaction (at most 100 items). Real domains have far fewer.
 */
export const MAX_DOMAIN_LABELS = 32;

/** @throws ValidationError when a domain to register has more than {@link MAX_DOMAIN_LABELS} labels. */
export function checkDomainDepth(name: string, field = 'name'): void {
  if (name.split('.').length > MAX_DOMAIN_LABELS) {
    throw new ValidationError('The domain name is invalid.', [{ field, message: `must have at most ${MAX_DOMAIN_LABELS} labels` }]);
  }
}

/** How long an unverified claim holds a domain name for its tenant; a verified claim holds it until the domain is removed. */
export const UNVERIFIED_CLAIM_HOURS = 72;

/** Until when (epoch ms) an unverified claim made when the domain was registered holds the name. */
export function claimHoldUntil(createdAt: string): number {
  return Date.parse(createdAt) + UNVERIFIED_CLAIM_HOURS * 3600 * 1000;
}

/**
 * 409 `domain_taken`: another tenant holds the domain (or, with relay `ses`, a parent or a
 * subdomain of it). One domain belongs to one tenant; the answer does not say which.
 */
export function domainTakenError(name: string): ConflictError {
  return new ConflictError(
    'domain_taken',
    `The domain "${name}" is registered by another account: a domain (with Amazon SES, also its parents and subdomains) ` +
      `belongs to one account once verified; an unverified registration holds it for ${UNVERIFIED_CLAIM_HOURS} hours.`,
  );
}

/**
 * `domain` and the domains it belongs to, nearest first, down to two labels
 * (`a.b.example.com` → `a.b.example.com`, `b.example.com`, `example.com`). Sending from a
 * subdomain of a verified domain is allowed, as SES allows it: DMARC's relaxed alignment
 * accepts a signature of the parent domain.
 */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const names: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) names.push(labels.slice(i).join('.'));
  return names;
}

/**
 * Whether a domain is verified after a check: every required record verified → yes; any required
 * record missing or wrong → no; otherwise (lookups failed) → as before, since a DNS outage must not
 * unverify a domain. In mode `ses`, SES's own verdict must not be negative either.
 */
export function verifiedAfterCheck(before: boolean, checks: RecordCheck[], sesVerified?: boolean): boolean {
  const required = checks.filter((c) => c.required);
  if (required.some((c) => c.status === 'missing' || c.status === 'mismatch')) return false;
  if (sesVerified === false) return false;
  if (required.length > 0 && required.every((c) => c.status === 'verified')) return true;
  return before;
}
