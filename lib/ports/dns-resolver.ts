import type { DnsAnswer } from '../domain/dns-records.ts';

/** Looks DNS records up. */
export interface DnsResolver {
  /**
   * The records of `type` at `name`: TXT strings joined (a record split into several strings is
   * one value), CNAME targets and MX `priority exchange` in lower case without the trailing dot.
   * A name or type that does not exist answers no values; a failed lookup (SERVFAIL, timeout)
   * answers an error. Never throws.
   */
  lookup(type: 'TXT' | 'CNAME' | 'MX', name: string): Promise<DnsAnswer>;
}
