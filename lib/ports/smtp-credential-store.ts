import type { Page } from '../domain/suppression.ts';
import type { SmtpCredentialRecord } from '../domain/smtp-credential.ts';

/** SMTP credentials, looked up by username. Reads are strongly consistent, so a revocation takes effect at once. */
export interface SmtpCredentialStore {
  get(username: string): Promise<SmtpCredentialRecord | undefined>;
  /** Adds a credential; a taken username throws ConflictError (`smtp_credential_exists`). */
  create(record: SmtpCredentialRecord): Promise<void>;
  /** A tenant's credentials, oldest first. */
  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<SmtpCredentialRecord>>;
  /** Sets `revokedAt` (kept if already set); the record, or undefined when there is no such credential. */
  revoke(username: string, at: string): Promise<SmtpCredentialRecord | undefined>;
}
