import type { Principal } from '../domain/principal.ts';

/** Checks an SMTP AUTH username and password (SMTP credentials issued per tenant). */
export interface SmtpAuthenticator {
  /** The credential's tenant and scopes; undefined for an unknown username, a wrong password or a revoked credential. */
  authenticate(username: string, password: string): Promise<Principal | undefined>;
}
