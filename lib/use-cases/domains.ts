/**
 * Sending domains: register one (SES identity, or a DKIM key pair mailroom makes), list them,
 * check their DNS records with real lookups, remove them. A domain name belongs to one tenant:
 * the first to register it holds its claim for UNVERIFIED_CLAIM_HOURS, and once it verifies the
 * domain, until it removes it; with relay `ses` (identities are account-wide, and one covers its
 * subdomains) the claim also keeps other tenants from its parents and subdomains. Public
 * suffixes (`co.uk`) cannot be registered.
 */
import * as z from 'zod';
import { generateDkimKeyPair, keyContext, sealPrivateKey, type KeyEncryptionKey } from '../domain/dkim-key.ts';
import {
  checkRecord,
  dkimKeyRecord,
  dkimSelector,
  dmarcRecord,
  mailFromDomain,
  mailFromRecords,
  recordGuidance,
  returnPathRecords,
  sesDkimRecords,
  spfRecord,
} from '../domain/dns-records.ts';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../domain/errors.ts';
import { parseRequest, zodProblems } from '../domain/field-problems.ts';
import { bounceDomain } from '../domain/return-path.ts';
import {
  checkDomainDepth,
  domainTakenError,
  parseDomainName,
  pathDomain,
  verifiedAfterCheck,
  type DnsRecord,
  type RecordCheck,
  type SendingDomain,
} from '../domain/sending-domain.ts';
import type { Clock } from '../ports/clock.ts';
import type { DnsResolver } from '../ports/dns-resolver.ts';
import type { ClaimScope, DomainStore } from '../ports/domain-store.ts';
import type { EmailIdentities } from '../ports/email-identities.ts';
import type { Log } from '../ports/logger.ts';
import { pageLimit } from './lists.ts';

/** What the domain routes need. */
export interface DomainDeps {
  domains: DomainStore;
  dns: DnsResolver;
  /** Present when mail goes through Amazon SES: SES signs (Easy DKIM) and mailroom makes no key. */
  identities?: EmailIdentities;
  /** The key that seals mailroom's DKIM private keys (read when first needed). */
  domainKey: () => Promise<KeyEncryptionKey>;
  /** The relay's SPF domain, when known (SES: amazonses.com), for the SPF advice. */
  spfInclude?: string;
  /**
   * mailroom's return path, when it receives bounces (SMTP relays): the MX host of the bounce
   * domains, and the one bounce domain of every sending domain when one is configured.
   */
  returnPath?: { mx: string; bounceDomain?: string };
  clock: Clock;
  log: Log;
  /** Told when a domain's verification may have changed, so cached answers are dropped. */
  onDomainChange?: (tenant: string, name: string) => void;
}

/** `POST /v1/domains`: the name is checked by parseDomainName, whose messages say what a domain name must be. */
export const DOMAIN_INPUT = z.strictObject({
  name: z.unknown().meta({ type: 'string', description: 'the domain, e.g. shop.example; an internationalised name is stored as punycode' }),
});

/** Which claims of other tenants stand in the way: with SES, those on parents and subdomains too. */
function claimScope(deps: DomainDeps): ClaimScope {
  return { related: deps.identities !== undefined };
}

function spfOf(deps: DomainDeps): string | undefined {
  return deps.identities ? 'amazonses.com' : deps.spfInclude;
}

function recordView(record: DnsRecord | RecordCheck) {
  const check = 'status' in record ? record : undefined;
  return {
    type: record.type,
    name: record.name,
    value: record.value,
    ...(record.priority !== undefined && { priority: record.priority }),
    purpose: record.purpose,
    required: record.required,
    ...(check && { status: check.status, found: check.found, ...(check.error && { error: check.error }) }),
  };
}

/** The bounce domain of a domain signed by mailroom (SMTP relays) when mailroom has a return path. */
function bounceDomainOf(deps: DomainDeps, domain: Pick<SendingDomain, 'name' | 'mode'>): string | undefined {
  return deps.returnPath && domain.mode === 'dkim' ? bounceDomain(domain.name, deps.returnPath.bounceDomain) : undefined;
}

/**
 * The domain's records, with those of the return path when it has one: a domain stored before
 * the return path was turned on gets them too.
 */
function recordsOf(deps: DomainDeps, domain: SendingDomain): DnsRecord[] {
  const bounces = bounceDomainOf(deps, domain);
  if (!bounces || !deps.returnPath || domain.records.some((r) => r.purpose === 'return_path')) return domain.records;
  return [...domain.records, ...returnPathRecords(bounces, deps.returnPath.mx, spfOf(deps))];
}

/** The API's view of a domain; never the key material but its public half. */
export function domainView(deps: DomainDeps, domain: SendingDomain) {
  return {
    name: domain.name,
    mode: domain.mode,
    status: domain.verified ? ('verified' as const) : ('pending' as const),
    verified: domain.verified,
    verified_at: domain.verifiedAt ?? null,
    ...(domain.selector && { dkim_selector: domain.selector }),
    records: (domain.checks ?? recordsOf(deps, domain)).map(recordView),
    checked_at: domain.checkedAt ?? null,
    created_at: domain.createdAt,
    guidance: recordGuidance(domain.name, domain.mode, domain.mode === 'ses' ? 'amazonses.com' : spfOf(deps), bounceDomainOf(deps, domain)),
  };
}

async function newDomain(deps: DomainDeps, tenant: string, name: string): Promise<SendingDomain> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const advice = [spfRecord(name, spfOf(deps)), dmarcRecord(name)];
  if (deps.identities) {
    let identity;
    try {
      identity = await deps.identities.create(name, mailFromDomain(name));
    } catch (error) {
      deps.log.error('SES identity not created', { tenant, domain: name, error: String(error) });
      throw new ServiceUnavailableError('Amazon SES did not register the domain; retry later.', { cause: error });
    }
    const records = [...sesDkimRecords(name, identity.dkimTokens), ...mailFromRecords(name, identity.mailFromMx), ...advice];
    return { tenant, name, mode: 'ses', records, verified: false, createdAt: at, updatedAt: at };
  }
  const selector = dkimSelector(now);
  const { publicKey, privateKeyPem } = await generateDkimKeyPair();
  const privateKey = sealPrivateKey(await deps.domainKey(), privateKeyPem, keyContext(tenant, name));
  const signed: SendingDomain = {
    tenant,
    name,
    mode: 'dkim',
    selector,
    publicKey,
    privateKey,
    records: [dkimKeyRecord(name, selector, publicKey), ...advice],
    verified: false,
    createdAt: at,
    updatedAt: at,
  };
  return { ...signed, records: recordsOf(deps, signed) };
}

/**
 * Registers a domain for the tenant and answers the records to publish. Registering it again
 * answers the same records (`created: false`) and makes no new key.
 * @throws ConflictError `domain_taken` when another tenant holds the domain (see the module doc),
 * before any SES identity is made.
 */
export async function registerDomain(deps: DomainDeps, tenant: string, body: unknown) {
  const parsed = parseRequest(DOMAIN_INPUT, body);
  if (!parsed.success) throw new ValidationError('The domain is invalid.', zodProblems(parsed.error));
  const name = parseDomainName(parsed.data.name);
  checkDomainDepth(name);
  // The Public Suffix List is loaded on the first registration, not when the api function starts.
  const { checkNotPublicSuffix } = await import('../domain/public-suffix.ts');
  checkNotPublicSuffix(name);
  const scope = claimScope(deps);
  const now = deps.clock.now().getTime();
  const existing = await deps.domains.get(tenant, name);
  if (existing) {
    // A domain stored before claims existed, or whose unverified claim lapsed, gets its claim
    // again if nobody took it: for good when verified, else held from its first registration.
    if (!existing.verified) await deps.domains.claim(tenant, name, existing.createdAt, scope, now);
    else if (!(await deps.domains.confirmClaim(tenant, name, existing.createdAt, scope, now))) throw domainTakenError(name);
    return { created: false, domain: domainView(deps, existing) };
  }
  // Checked before SES is asked: its identities are account-wide, so creating one would answer
  // the owner's records. The store checks again, atomically, when it writes the claim.
  if (await deps.domains.claimedByOther(tenant, name, scope, now)) throw domainTakenError(name);
  const { created, domain } = await deps.domains.create(await newDomain(deps, tenant, name), scope);
  if (created) deps.log.info('domain registered', { tenant, domain: name, mode: domain.mode });
  return { created, domain: domainView(deps, domain) };
}

/** A page of the tenant's domains, in name order (stored state; no lookups). */
export async function listDomains(deps: DomainDeps, tenant: string, query: { limit?: string; cursor?: string }) {
  const page = await deps.domains.list(tenant, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map((d) => domainView(deps, d)), next_cursor: page.cursor ?? null };
}

async function requireDomain(deps: DomainDeps, tenant: string, rawName: string): Promise<SendingDomain> {
  const domain = await deps.domains.get(tenant, pathDomain(rawName));
  if (!domain) throw new NotFoundError('Domain');
  return domain;
}

/** SES's verdict on the identity, when it can be had. */
async function sesVerdict(deps: DomainDeps, domain: SendingDomain): Promise<boolean | undefined> {
  if (domain.mode !== 'ses' || !deps.identities) return undefined;
  try {
    return (await deps.identities.get(domain.name))?.verified ?? false;
  } catch (error) {
    deps.log.warn('SES identity state unavailable', { tenant: domain.tenant, domain: domain.name, error: String(error) });
    return undefined;
  }
}

/**
 * Looks every record of the domain up, stores the outcome and answers it: each record verified,
 * missing, mismatch (something else is published) or error (the lookup failed; try again).
 */
export async function checkDomain(deps: DomainDeps, tenant: string, rawName: string) {
  const domain = await requireDomain(deps, tenant, rawName);
  const [checks, sesVerified, owner] = await Promise.all([
    Promise.all(recordsOf(deps, domain).map(async (record) => checkRecord(record, await deps.dns.lookup(record.type, record.name)))),
    sesVerdict(deps, domain),
    deps.domains.owner(domain.name, deps.clock.now().getTime()),
  ]);
  // Another tenant's claim (a domain stored before claims existed, or whose unverified claim
  // lapsed and was taken): SES's account-wide identity and the owner's records must not verify it
  // for this tenant.
  const foreign = owner !== undefined && owner !== tenant;
  const now = deps.clock.now();
  const at = now.toISOString();
  // Verified records make the claim hold for good, unless another tenant's claim is in the way.
  const verified =
    !foreign &&
    verifiedAfterCheck(domain.verified, checks, sesVerified) &&
    (await deps.domains.confirmClaim(tenant, domain.name, at, claimScope(deps), now.getTime()));
  const saved = await deps.domains.saveCheck(tenant, domain.name, {
    checks,
    checkedAt: at,
    verified,
    ...(verified && { verifiedAt: domain.verifiedAt ?? at }),
    ...(sesVerified !== undefined && { sesVerified }),
  });
  if (verified !== domain.verified) {
    deps.onDomainChange?.(tenant, domain.name);
    deps.log.info(verified ? 'domain verified' : 'domain no longer verified', { tenant, domain: domain.name });
  }
  return domainView(deps, saved);
}

/**
 * Removes a domain, its claim and its SES identity: mail from it is refused from then on. The
 * identity is deleted only by the claim's holder (or for a domain stored before claims existed),
 * since other tenants' registrations can never hold it.
 */
export async function deleteDomain(deps: DomainDeps, tenant: string, rawName: string): Promise<void> {
  const domain = await requireDomain(deps, tenant, rawName);
  const owner = await deps.domains.owner(domain.name, deps.clock.now().getTime());
  if (domain.mode === 'ses' && deps.identities && (owner === undefined || owner === tenant)) {
    try {
      await deps.identities.delete(domain.name);
    } catch (error) {
      deps.log.error('SES identity not deleted', { tenant, domain: domain.name, error: String(error) });
      throw new ServiceUnavailableError('Amazon SES did not remove the domain; nothing was deleted. Retry later.', { cause: error });
    }
  }
  await deps.domains.delete(tenant, domain.name);
  deps.onDomainChange?.(tenant, domain.name);
  deps.log.info('domain removed', { tenant, domain: domain.name });
}
