/**
 * Per-tenant relay selection: a MailRelay that sends each message through its tenant's own
 * relay (an SMTP relay whose URL is a secret, SES with the tenant's configuration set or the
 * set of its dedicated IP pool), or through the deployment's relay.
 */
import { ExpiringCache } from '../domain/expiring-cache.ts';
import type { Tenant } from '../domain/tenant.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { MailRelay, OutgoingMail, RelayResult } from '../ports/mail-relay.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { TenantStore } from '../ports/tenant-store.ts';

/** How long a tenant's relay setting is kept in a process by default (ms). */
export const TENANT_RELAY_CACHE_MS = 30_000;

/** Options of {@link TenantRelays}. */
export interface TenantRelaysOptions {
  tenants: Pick<TenantStore, 'get'>;
  /** The deployment's relay: tenants without one of their own. */
  fallback: MailRelay;
  /** Builds the relay for an SMTP URL (the one place SMTP relays are made, so they can be wrapped, e.g. to DKIM-sign). */
  smtpRelayFor: (url: string) => MailRelay | Promise<MailRelay>;
  /** Builds an SES relay; `undefined`: the deployment's configuration set. */
  sesRelayFor: (configurationSet: string | undefined) => MailRelay;
  secrets: Pick<SecretStore, 'get'>;
  /** Dedicated IP pool name to its SES configuration set (MAILROOM_SES_IP_POOLS). */
  ipPools: Record<string, string>;
  /** Whether the deployment's relay is SES: only then does a pool apply to a tenant without a relay of its own. */
  deploymentRelayIsSes: boolean;
  cacheMs?: number;
  clock?: Clock;
  log?: Log;
}

/** What a tenant's setting resolves to: a cache key and how to build the relay. */
type Choice = { key: 'default' } | { key: string; smtpSecret: string } | { key: string; sesSet: string | undefined };

/**
 * {@link MailRelay} choosing, per `mail.tenant`, the tenant's relay. Tenant settings are kept
 * for {@link TENANT_RELAY_CACHE_MS} (a change applies within that time); relays are built once
 * per setting and reused, so SMTP pools stay warm. While the tenants table cannot be read, the
 * last setting seen holds.
 */
export class TenantRelays implements MailRelay {
  readonly #options: TenantRelaysOptions;
  readonly #cacheMs: number;
  readonly #choices: ExpiringCache<Choice>;
  readonly #relays = new Map<string, Promise<MailRelay>>();

  constructor(options: TenantRelaysOptions) {
    this.#options = options;
    this.#cacheMs = options.cacheMs ?? TENANT_RELAY_CACHE_MS;
    this.#choices = new ExpiringCache({ clock: options.clock ?? systemClock });
  }

  /**
   * @throws when the tenant's relay cannot be made (its record or secret unreadable, a URL that
   *   does not parse): the delivery job fails and SQS retries it, ending in the dead-letter queue
   *   (redrivable once fixed) if it lasts. The mail is never sent through a relay the tenant did not choose.
   */
  async send(mail: OutgoingMail): Promise<RelayResult> {
    let relay: MailRelay;
    try {
      relay = await this.#relayFor(mail.tenant);
    } catch (error) {
      // Names the tenant and the error's class only: a secret's or URL's text never reaches a log.
      this.#options.log?.warn('tenant relay unavailable', { tenant: mail.tenant, error: error instanceof Error ? error.name : 'unknown' });
      throw error;
    }
    return relay.send(mail);
  }

  /** Closes every relay built for tenants; the deployment's relay belongs to the caller, who closes it. */
  async close(): Promise<void> {
    const relays = await Promise.allSettled([...this.#relays.values()]);
    this.#relays.clear();
    for (const result of relays) if (result.status === 'fulfilled') await result.value.close();
  }

  async #relayFor(tenant: string): Promise<MailRelay> {
    const choice = await this.#choice(tenant);
    if (choice.key === 'default') return this.#options.fallback;
    let relay = this.#relays.get(choice.key);
    if (!relay) {
      relay = this.#build(choice);
      this.#relays.set(choice.key, relay);
      // A failed build (secret unreadable) is tried again on the next message.
      relay.catch(() => this.#relays.delete(choice.key));
    }
    return relay;
  }

  async #build(choice: Choice): Promise<MailRelay> {
    if ('smtpSecret' in choice) return this.#options.smtpRelayFor((await this.#options.secrets.get(choice.smtpSecret)).trim());
    if ('sesSet' in choice) return this.#options.sesRelayFor(choice.sesSet);
    return this.#options.fallback;
  }

  #choice(tenant: string): Promise<Choice> {
    return this.#choices.get(tenant, async (known) => {
      let record: Tenant | undefined;
      try {
        record = await this.#options.tenants.get(tenant);
      } catch (error) {
        if (known) return { value: known, keepMs: 0 }; // the last setting seen holds while the table has a bad moment
        throw error;
      }
      return { value: this.#resolve(record), keepMs: this.#cacheMs };
    });
  }

  #resolve(tenant: Tenant | undefined): Choice {
    if (!tenant) return { key: 'default' };
    const { relay, ipPool } = tenant;
    const poolSet = ipPool === undefined ? undefined : this.#options.ipPools[ipPool];
    if (ipPool !== undefined && poolSet === undefined) {
      this.#options.log?.warn('tenant IP pool not configured; its relay setting applies without it', { tenant: tenant.id, ipPool });
    }
    if (relay?.kind === 'smtp') {
      // The record's update time is part of the key: a new URL under the same secret builds a new pool.
      return { key: `smtp:${relay.secret}:${tenant.updatedAt}`, smtpSecret: relay.secret };
    }
    if (relay?.kind === 'ses') {
      const set = relay.configurationSet ?? poolSet;
      return { key: `ses:${set ?? ''}`, sesSet: set };
    }
    if (poolSet !== undefined && this.#options.deploymentRelayIsSes) return { key: `ses:${poolSet}`, sesSet: poolSet };
    return { key: 'default' };
  }
}
