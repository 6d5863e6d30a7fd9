/**
 * Mail that arrives at mailroom's inbound service (SES receiving in AWS, the inbound SMTP
 * listener in local mode): which recipients it takes, and what becomes of a message. Mail to a
 * bounce domain is returned mail (record-returned-mail.ts).
 */
import { domainOf } from '../domain/address.ts';
import type { InboundMail } from '../domain/inbound-mail.ts';
import type { InboundVerdicts } from '../domain/inbound-event.ts';
import { routeKeys, type InboundRoute } from '../domain/inbound-route.ts';
import { matchBounceDomain } from '../domain/return-path.ts';
import type { DomainStore } from '../ports/domain-store.ts';
import type { ReportResult } from './record-reported-events.ts';
import { recordReturnedMail, type ReturnedMailDeps } from './record-returned-mail.ts';
import { deliverRoutedMail, type RoutedMailDeps } from './routed-mail.ts';

/** What the inbound service needs. */
export interface InboundDeps extends ReturnedMailDeps {
  domains: Pick<DomainStore, 'owner'>;
  /** The one bounce domain of every sending domain, when configured. */
  bounceDomain?: string;
  /** Parses a message as it arrived (mailparser). */
  parse: (raw: Buffer) => Promise<InboundMail>;
  /** Tenants' inbound routes; absent: only returned mail is taken. */
  routing?: RoutedMailDeps;
}

/** What a recipient address is to the inbound service. */
export type InboundTarget = { kind: 'return_path' } | { kind: 'route'; route: InboundRoute } | { kind: 'refused' };

/** What the SMTP client and the receiving service said about a message, beside its bytes. */
export interface ArrivalContext {
  /** MAIL FROM (empty for the null sender). */
  envelopeFrom?: string;
  /** Verdicts the receiving service gave (SES receiving); absent: computed when routed (local mode). */
  verdicts?: InboundVerdicts;
  client?: { ip?: string; helo?: string };
}

/** What became of an arrived message. */
export interface InboundResult {
  /** What the returned mail recorded, when it was for a bounce domain. */
  returned?: ReportResult;
  /** The routes it was delivered to. */
  routed: number;
}

/** Whether mail to `address` is taken: the bounce domain of a registered sending domain, or the configured one. */
export async function inboundTarget(deps: InboundDeps, address: string): Promise<InboundTarget> {
  const match = matchBounceDomain(domainOf(address), deps.bounceDomain);
  if (!match) {
    const route = await deps.routing?.routes.find(routeKeys(address));
    return route ? { kind: 'route', route } : { kind: 'refused' };
  }
  if (match.kind === 'configured') return { kind: 'return_path' };
  const owner = await deps.domains.owner(match.domain, deps.clock.now().getTime());
  return owner ? { kind: 'return_path' } : { kind: 'refused' };
}

/**
 * Handles one arrived message for its envelope `recipients` (those the service took): returned
 * mail is recorded, routed mail delivered to its endpoints.
 * @throws OutcomeNotReadyError or a store error: the message is to be handed over again.
 */
export async function receiveInbound(
  deps: InboundDeps,
  recipients: string[],
  raw: Buffer,
  context: ArrivalContext = {},
): Promise<InboundResult> {
  const targets = await Promise.all(recipients.map((r) => inboundTarget(deps, r)));
  const returned = recipients.filter((_, i) => targets[i]!.kind === 'return_path');
  const routes = new Map<string, { route: InboundRoute; recipients: string[] }>();
  targets.forEach((target, i) => {
    if (target.kind !== 'route') return;
    const entry = routes.get(target.route.id) ?? { route: target.route, recipients: [] };
    entry.recipients.push(recipients[i]!);
    routes.set(target.route.id, entry);
  });
  if (returned.length === 0 && routes.size === 0) {
    deps.log.info('inbound mail for no known recipient dropped', { recipients: recipients.length });
    return { routed: 0 };
  }
  const mail = await deps.parse(raw);
  const result: InboundResult = { routed: 0 };
  if (returned.length) result.returned = await recordReturnedMail(deps, { recipients: returned, raw, mail });
  if (routes.size && deps.routing) {
    result.routed = await deliverRoutedMail(deps.routing, [...routes.values()], { raw, mail, context });
  }
  return result;
}
