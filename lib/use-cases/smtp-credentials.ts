/** Issue, list, revoke and check the SMTP credentials of a tenant. */
import { NotFoundError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import {
  generateSmtpPassword,
  generateSmtpUsername,
  hashSmtpPassword,
  looksLikeSmtpPassword,
  looksLikeSmtpUsername,
  smtpPasswordMatches,
  type IssuedSmtpCredential,
  type SmtpCredentialRecord,
} from '../domain/smtp-credential.ts';
import type { Page } from '../domain/suppression.ts';
import type { Clock } from '../ports/clock.ts';
import type { SmtpAuthenticator } from '../ports/smtp-authenticator.ts';
import type { SmtpCredentialStore } from '../ports/smtp-credential-store.ts';

/** What the SMTP credential use cases need. */
export interface SmtpCredentialDeps {
  credentials: SmtpCredentialStore;
  clock: Clock;
}

/** A credential as listings show it: no password, no hash. */
export type SmtpCredentialSummary = Omit<SmtpCredentialRecord, 'passwordHash'>;

function summary(record: SmtpCredentialRecord): SmtpCredentialSummary {
  const { passwordHash: _hash, ...rest } = record;
  return rest;
}

/** Makes a credential for `tenant`; the answer holds the password, which is not kept and cannot be shown again. */
export async function issueSmtpCredential(
  deps: SmtpCredentialDeps,
  tenant: string,
  options: { description?: string } = {},
): Promise<IssuedSmtpCredential> {
  const password = generateSmtpPassword();
  const record: SmtpCredentialRecord = {
    username: generateSmtpUsername(),
    passwordHash: hashSmtpPassword(password),
    tenant,
    ...(options.description !== undefined && { description: options.description }),
    createdAt: deps.clock.now().toISOString(),
  };
  // 50 random bits make a clash practically impossible; the conditional create still refuses one.
  await deps.credentials.create(record);
  return { ...record, password };
}

/** A page of `tenant`'s credentials, oldest first, revoked ones included (with `revokedAt`). */
export async function listSmtpCredentials(
  deps: Pick<SmtpCredentialDeps, 'credentials'>,
  tenant: string,
  options: { limit: number; cursor?: string },
): Promise<Page<SmtpCredentialSummary>> {
  const page = await deps.credentials.listByTenant(tenant, options);
  return { ...page, items: page.items.map(summary) };
}

/**
 * Revokes a credential at once (SMTP AUTH reads it with strong consistency). With `tenant`, a
 * credential of another tenant is "not found", so its existence is not revealed.
 * @throws NotFoundError
 */
export async function revokeSmtpCredential(
  deps: SmtpCredentialDeps,
  username: string,
  options: { tenant?: string } = {},
): Promise<SmtpCredentialSummary> {
  if (!looksLikeSmtpUsername(username)) throw new NotFoundError('SMTP credential');
  if (options.tenant !== undefined) {
    const existing = await deps.credentials.get(username);
    if (!existing || existing.tenant !== options.tenant) throw new NotFoundError('SMTP credential');
  }
  const revoked = await deps.credentials.revoke(username, deps.clock.now().toISOString());
  if (!revoked) throw new NotFoundError('SMTP credential');
  return summary(revoked);
}

/** SMTP AUTH against the stored credentials: the tenant may send, nothing more. */
export class SmtpCredentialAuthenticator implements SmtpAuthenticator {
  constructor(private readonly credentials: Pick<SmtpCredentialStore, 'get'>) {}

  async authenticate(username: string, password: string): Promise<Principal | undefined> {
    if (!looksLikeSmtpUsername(username) || !looksLikeSmtpPassword(password)) return undefined;
    const record = await this.credentials.get(username);
    if (!record || record.revokedAt) return undefined;
    if (!smtpPasswordMatches(password, record.passwordHash)) return undefined;
    return { tenant: record.tenant, scopes: ['send'] };
  }
}
