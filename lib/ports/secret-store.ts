/** Secrets mailroom keeps on behalf of tenants (a tenant's own SMTP relay URL, password included). */
export interface SecretStore {
  /**
   * Creates or replaces the secret `name` (e.g. `acme/smtp-relay`) and answers the reference to
   * keep in records (a Secrets Manager ARN in AWS). The value is never logged.
   */
  put(name: string, value: string): Promise<string>;
  /** The value of the secret a reference from `put` names. @throws when it cannot be read. */
  get(ref: string): Promise<string>;
}
