/**
 * Whether a request was addressed to this machine. Local mode listens on 127.0.0.1, but a web
 * page can rebind its own host name to 127.0.0.1 (DNS rebinding) and then read local pages as
 * if they were its own: the browser still sends the page's name as `Host`. Names no web page
 * can take are `localhost`, names under `.localhost` (browsers resolve them to loopback
 * themselves) and loopback addresses; any port, so that a forwarded port works too.
 */
import { isIPv4 } from 'node:net';

const HOST = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d{1,5})?$/i;

/** Whether `host` (a `Host` header) names this machine. */
export function isLocalHost(host: string | undefined): boolean {
  const match = HOST.exec(host ?? '');
  if (!match) return false;
  const [, ipv6, name] = match;
  if (ipv6 !== undefined) return ipv6 === '::1';
  const lower = name!.toLowerCase();
  return lower === 'localhost' || lower.endsWith('.localhost') || (isIPv4(lower) && lower.startsWith('127.'));
}
