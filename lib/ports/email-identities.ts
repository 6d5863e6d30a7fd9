/** SES's view of a domain identity. */
export interface EmailIdentityState {
  /** Easy DKIM tokens: each becomes a CNAME `<token>._domainkey.<domain>`. */
  dkimTokens: string[];
  /** Whether SES lets the identity send (its DKIM records were found). */
  verified: boolean;
  /** The MX host of the custom MAIL FROM domain (SES's feedback host of the region). */
  mailFromMx: string;
}

/** Domain identities of the email service that signs mail itself (Amazon SES Easy DKIM). */
export interface EmailIdentities {
  /**
   * Creates the identity with Easy DKIM (RSA 2048) and the custom MAIL FROM domain, or answers
   * the existing one.
   */
  create(domain: string, mailFromDomain: string): Promise<EmailIdentityState>;
  /** The identity, or undefined when SES does not have it. */
  get(domain: string): Promise<EmailIdentityState | undefined>;
  /** Deletes the identity; an absent one is not an error. */
  delete(domain: string): Promise<void>;
}
