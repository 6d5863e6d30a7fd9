/**
 * Where mailroom may post a tenant's webhooks: `https://` URLs on port 443 (or a configured
 * port), without credentials, whose host resolves to public addresses only. Local mode also
 * takes `http://` URLs to this machine (loopback), and nothing else that AWS would refuse.
 * The checks run when an endpoint is registered or changed, and again on every connection, on
 * the address actually connected to (so a name that later resolves elsewhere cannot reach a
 * private network: DNS rebinding).
 */
import { isLoopback, parseIp, refusedKind } from './ip-ranges.ts';

/** The rules a deployment applies. */
export interface WebhookUrlPolicy {
  /** Ports an `https://` URL may name; 443 unless MAILROOM_WEBHOOK_PORTS says otherwise. */
  ports: readonly number[];
  /** Local mode: `http://` URLs whose host is loopback are accepted too (any port). */
  allowHttpLoopback: boolean;
}

/** The rules in AWS unless configured otherwise. */
export const DEFAULT_WEBHOOK_URL_POLICY: WebhookUrlPolicy = { ports: [443], allowHttpLoopback: false };

/** Longest URL accepted, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A URL that passed the checks that need no DNS. */
export interface WebhookTarget {
  /** The URL as normalised by the WHATWG parser (what is stored and shown). */
  href: string;
  protocol: 'https:' | 'http:';
  /** Host name, or an IP address without brackets. */
  host: string;
  port: number;
  /** Whether `host` is an IP address (nothing to resolve). */
  literal: boolean;
  /** Path and query, as sent on the request line. */
  path: string;
}

export type UrlCheck = { ok: true; target: WebhookTarget } | { ok: false; problem: string };

const refuse = (problem: string): UrlCheck => ({ ok: false, problem });

/** Checks what can be checked without DNS: scheme, port, credentials, form. */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): UrlCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('is not a valid absolute URL');
  }
  const local = policy.allowHttpLoopback;
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    return refuse(local ? 'must be an https:// URL, or an http:// URL to this machine' : 'must be an https:// URL');
  }
  if (url.username || url.password) return refuse('must not hold a user name or password (deliveries are signed instead)');
  if (url.hash) return refuse('must not have a #fragment');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = parseIp(host) !== undefined;
  const protocol = url.protocol;
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
  if (protocol === 'https:' && !policy.ports.includes(port)) {
    return refuse(`must use port ${policy.ports.join(' or ')}${policy.ports.length > 1 ? '' : ' (the https default)'}`);
  }
  if (protocol === 'http:' && literal && !isLoopback(host)) return refuse('may use http:// only to this machine (loopback)');
  return { ok: true, target: { href: url.href, protocol, host, port, literal, path: `${url.pathname}${url.search}` } };
}

/**
 * Why mailroom may not connect to `address` for `target`, or undefined when it may: an
 * `http://` target only to loopback (local mode), any other only to public unicast addresses.
 */
export function addressProblem(address: string, target: Pick<WebhookTarget, 'protocol'>): string | undefined {
  if (target.protocol === 'http:')
    return isLoopback(address) ? undefined : `resolves to ${address}, not to this machine (http:// is for loopback)`;
  const kind = refusedKind(address);
  return kind && `resolves to ${address}, a ${kind} address`;
}

/** The first problem among the addresses a target's host resolved to (all must pass), or undefined. */
export function addressesProblem(addresses: readonly string[], target: Pick<WebhookTarget, 'protocol'>): string | undefined {
  if (addresses.length === 0) return 'does not resolve to any address';
  for (const address of addresses) {
    const problem = addressProblem(address, target);
    if (problem) return problem;
  }
  return undefined;
}
