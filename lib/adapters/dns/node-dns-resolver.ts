/**
 * DnsResolver on node:dns/promises: real lookups, through the system's servers or the ones
 * configured (MAILROOM_DNS_SERVERS), with a short timeout so a check never hangs a request.
 */
import { Resolver } from 'node:dns/promises';
import { ConfigError } from '../../config.ts';
import type { DnsAnswer } from '../../domain/dns-records.ts';
import { ENV, type Env } from '../../env.ts';
import type { DnsResolver } from '../../ports/dns-resolver.ts';

/** Codes that mean "no such record", as opposed to "could not find out". */
const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

const HOST_PORT = /^(?:\[[0-9a-f:.]+\]|[0-9a-z.-]+)(?::\d{1,5})?$/i;

/**
 * The servers of MAILROOM_DNS_SERVERS: comma-separated `host:port` (`[v6]:port`; port 53 when
 * absent); undefined when unset (the system's resolvers).
 * @throws ConfigError when an entry is malformed.
 */
export function dnsServers(env: Env): string[] | undefined {
  const raw = env[ENV.dnsServers]?.trim();
  if (!raw) return undefined;
  const servers = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const server of servers) {
    const port = /:(\d+)$/.exec(server.replace(/^\[.*\]/, ''))?.[1];
    if (!HOST_PORT.test(server) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      throw new ConfigError(`environment variable ${ENV.dnsServers} must be comma-separated host:port entries, got "${server}"`);
    }
  }
  return servers;
}

/** Options of {@link NodeDnsResolver}. */
export interface NodeDnsResolverOptions {
  /** `host:port` servers; the system's when absent. */
  servers?: string[];
  /** Per query, in ms (default 3000). */
  timeoutMs?: number;
}

/** {@link DnsResolver} with node's c-ares resolver. */
export class NodeDnsResolver implements DnsResolver {
  readonly #resolver: Resolver;

  constructor(options: NodeDnsResolverOptions = {}) {
    this.#resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: 1 });
    if (options.servers?.length) this.#resolver.setServers(options.servers);
  }

  async lookup(type: 'TXT' | 'CNAME' | 'MX', name: string): Promise<DnsAnswer> {
    try {
      switch (type) {
        case 'TXT':
          return { values: (await this.#resolver.resolveTxt(name)).map((chunks) => chunks.join('')) };
        case 'CNAME':
          return { values: (await this.#resolver.resolveCname(name)).map(host) };
        case 'MX':
          return { values: (await this.#resolver.resolveMx(name)).map((mx) => `${mx.priority} ${host(mx.exchange)}`) };
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (NOT_FOUND.has(code)) return { values: [] };
      return { error: code ? `DNS lookup failed (${code})` : 'DNS lookup failed' };
    }
  }
}

function host(value: string): string {
  return value.toLowerCase().replace(/\.$/, '');
}
