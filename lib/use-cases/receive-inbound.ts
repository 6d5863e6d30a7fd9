/**
 * Mail that arrives at mailroom's inbound service (SES receiving in AWS, the inbound SMTP
 * listener in local mode): which recipients it takes, and what becomes of a message. Mail to a
 * bounce domain is returned mail (record-returned-mail.ts).
 */
import { domainOf } from '../domain/address.ts';
import type { InboundMail } from '../domain/inbound-mail.ts';
import { matchBounceDomain } from '../domain/return-path.ts';
import type { DomainStore } from '../ports/domain-store.ts';
import type { ReportResult } from './record-reported-events.ts';
import { recordReturnedMail, type ReturnedMailDeps } from './record-returned-mail.ts';

/** What the inbound service needs. */
export interface InboundDeps extends ReturnedMailDeps {
  domains: Pick<DomainStore, 'owner'>;
  /** The one bounce domain of every sending domain, when configured. */
  bounceDomain?: string;
  /** Parses a message as it arrived (mailparser). */
  parse: (raw: Buffer) => Promise<InboundMail>;
}

/** What a recipient address is to the inbound service. */
export type InboundTarget = { kind: 'return_path' } | { kind: 'refused' };

/** Whether mail to `address` is taken: the bounce domain of a registered sending domain, or the configured one. */
export async function inboundTarget(deps: InboundDeps, address: string): Promise<InboundTarget> {
  const match = matchBounceDomain(domainOf(address), deps.bounceDomain);
  if (!match) return { kind: 'refused' };
  if (match.kind === 'configured') return { kind: 'return_path' };
  const owner = await deps.domains.owner(match.domain, deps.clock.now().getTime());
  return owner ? { kind: 'return_path' } : { kind: 'refused' };
}

/**
 * Handles one arrived message for its envelope `recipients` (those the service took).
 * @throws OutcomeNotReadyError or a store error: the message is to be handed over again.
 */
export async function receiveInbound(deps: InboundDeps, recipients: string[], raw: Buffer): Promise<ReportResult> {
  const targets = await Promise.all(recipients.map((r) => inboundTarget(deps, r)));
  const returned = recipients.filter((_, i) => targets[i]!.kind === 'return_path');
  if (returned.length === 0) {
    deps.log.info('inbound mail for no known recipient dropped', { recipients: recipients.length });
    return { kind: 'ignored', reason: 'no recipient mailroom receives for' };
  }
  return recordReturnedMail(deps, { recipients: returned, raw, mail: await deps.parse(raw) });
}
