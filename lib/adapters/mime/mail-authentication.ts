/**
 * SPF, DKIM and DMARC of an inbound message, checked with mailauth (local mode; in AWS, SES
 * receiving gives its own verdicts). Lookups go to the configured DNS servers (or the system's),
 * one try of at most 2 s each, so that an offline machine answers `temperror` instead of waiting.
 * mailauth (with its HTTP client, Public Suffix List and schema library) is loaded with the first
 * message to check, which in AWS never comes: the inbound function does not load it at start.
 */
import { Resolver } from 'node:dns/promises';
import type { InboundVerdicts } from '../../domain/inbound-event.ts';

/** What the SMTP session knew about the client. */
export interface SmtpClient {
  ip?: string;
  helo?: string;
  sender?: string;
}

/** Checks messages with mailauth, through `servers` (`host:port`) or the system's DNS. */
export function mailauthVerifier(servers?: string[]): (raw: Buffer, client: SmtpClient) => Promise<InboundVerdicts> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  if (servers?.length) resolver.setServers(servers);
  const resolve = (name: string, type: string) => resolver.resolve(name, type as 'TXT') as Promise<string[][] | string[]>;
  return async (raw, client) => {
    const { authenticate } = await import('mailauth');
    const result = await authenticate(raw, {
      ...(client.ip && { ip: client.ip }),
      ...(client.helo && { helo: client.helo }),
      ...(client.sender !== undefined && { sender: client.sender }),
      resolver: resolve,
      disableArc: true,
      disableBimi: true,
    });
    const dkim = result.dkim.results.map((r) => r.status.result);
    return {
      ...(result.spf && { spf: result.spf.status.result }),
      dkim: dkim.includes('pass') ? 'pass' : (dkim[0] ?? 'none'),
      ...(result.dmarc && { dmarc: result.dmarc.status.result }),
    };
  };
}
