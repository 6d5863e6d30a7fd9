/**
 * The DNS records of a sending domain, and how what a lookup found compares with them.
 */
import type { DnsRecord, RecordCheck } from './sending-domain.ts';

/** What one lookup answered: the values at the name (none when the name or type does not exist), or why it failed. */
export type DnsAnswer = { values: string[] } | { error: string };

/** The DKIM selector of a key made at `at`: `mr` and the year and month (`mr202611`), so a later key gets a new one. */
export function dkimSelector(at: Date): string {
  return `mr${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The DKIM TXT record of mailroom's own key (`publicKey`: base64 DER SPKI). */
export function dkimKeyRecord(domain: string, selector: string, publicKey: string): DnsRecord {
  return {
    type: 'TXT',
    name: `${selector}._domainkey.${domain}`,
    value: `v=DKIM1; k=rsa; p=${publicKey}`,
    purpose: 'dkim',
    required: true,
  };
}

/** The Easy DKIM CNAMEs of an SES identity, one per token SES gave. */
export function sesDkimRecords(domain: string, tokens: string[]): DnsRecord[] {
  return tokens.map((token) => ({
    type: 'CNAME',
    name: `${token}._domainkey.${domain}`,
    value: `${token}.dkim.amazonses.com`,
    purpose: 'dkim',
    required: true,
  }));
}

/** The custom MAIL FROM domain of an SES identity. */
export function mailFromDomain(domain: string): string {
  return `mail.${domain}`;
}

/** The MX and SPF records of the custom MAIL FROM domain (`mx`: SES's feedback host of the region). */
export function mailFromRecords(domain: string, mx: string): DnsRecord[] {
  const name = mailFromDomain(domain);
  return [
    { type: 'MX', name, value: mx, priority: 10, purpose: 'mail_from', required: false },
    { type: 'TXT', name, value: 'v=spf1 include:amazonses.com ~all', purpose: 'mail_from', required: false },
  ];
}

/**
 * The records of mailroom's return path for a sending domain (SMTP relays): the MX of its bounce
 * domain pointing at mailroom's inbound service (`mx`), and an SPF record there for the relay, so
 * that SPF passes for the envelope sender and aligns (relaxed) with the From domain for DMARC.
 */
export function returnPathRecords(bounceDomain: string, mx: string, spfInclude?: string): DnsRecord[] {
  return [
    { type: 'MX', name: bounceDomain, value: mx, priority: 10, purpose: 'return_path', required: false },
    { ...spfRecord(bounceDomain, spfInclude), purpose: 'return_path' },
  ];
}

/**
 * The SPF advice for the domain: `include:<spfInclude>` when the relay's SPF domain is known
 * (SES: amazonses.com), else the domain's own hosts. A name may hold only one SPF record:
 * an existing one gets the mechanism added rather than a second record.
 */
export function spfRecord(domain: string, spfInclude?: string): DnsRecord {
  const value = spfInclude ? `v=spf1 include:${spfInclude} ~all` : 'v=spf1 a mx ~all';
  return { type: 'TXT', name: domain, value, purpose: 'spf', required: false };
}

/** The DMARC advice: monitoring only (`p=none`) to begin with. */
export function dmarcRecord(domain: string): DnsRecord {
  return { type: 'TXT', name: `_dmarc.${domain}`, value: 'v=DMARC1; p=none; adkim=r; aspf=r', purpose: 'dmarc', required: false };
}

/** Human advice that goes with the records. */
export function recordGuidance(domain: string, mode: 'ses' | 'dkim', spfInclude?: string, bounceDomain?: string): string[] {
  const lines = [
    mode === 'ses'
      ? `Publish the three DKIM CNAME records: Amazon SES signs mail from ${domain} with them and verifies the domain once it sees them.`
      : `Publish the DKIM TXT record: mailroom signs mail from ${domain} with the matching private key. The domain is verified once GET /v1/domains/${domain} finds it.`,
    spfInclude
      ? `SPF: a name may hold only one SPF record. If ${domain} has one already, add "include:${spfInclude}" to it instead of publishing a second.`
      : `SPF: a name may hold only one SPF record. Add the mechanism your SMTP relay documents (e.g. "include:_spf.relay.example") to the SPF record of ${domain}, or publish the one shown with it.`,
    `DMARC: start with p=none and add "rua=mailto:…" to receive reports; tighten to p=quarantine or p=reject once reports show your mail passes.`,
  ];
  if (bounceDomain)
    lines.push(
      `Return path: the MX and TXT records of ${bounceDomain} bring bounces and complaints back to mailroom, and let SPF align with your domain.`,
    );
  if (mode === 'ses')
    lines.push(`MAIL FROM: the MX and TXT records of ${mailFromDomain(domain)} let bounces return to SES and SPF align with your domain.`);
  return lines;
}

/** `k=v` tags of a DKIM or DMARC record. */
function tags(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return map;
}

const noSpace = (value: string) => value.replace(/\s+/g, '');
const host = (value: string) => value.trim().toLowerCase().replace(/\.$/, '');

/** Whether `found` is an SPF record that carries what `record` asks for. */
function spfMatches(record: DnsRecord, found: string): boolean {
  const wanted = /include:(\S+)/.exec(record.value)?.[1];
  if (!wanted) return true;
  return found
    .toLowerCase()
    .split(/\s+/)
    .some((term) => term.replace(/^[+~?-]/, '') === `include:${wanted.toLowerCase()}`);
}

/** Compares what a lookup found at a record's name with the record. */
export function checkRecord(record: DnsRecord, answer: DnsAnswer): RecordCheck {
  if ('error' in answer) return { ...record, status: 'error', found: [], error: answer.error };
  const found = answer.values;
  const result = (status: RecordCheck['status']): RecordCheck => ({ ...record, status, found });
  switch (record.purpose) {
    case 'dkim': {
      if (record.type === 'CNAME') {
        if (found.length === 0) return result('missing');
        return result(found.some((v) => host(v) === host(record.value)) ? 'verified' : 'mismatch');
      }
      const keys = found.filter((v) => /^\s*v\s*=\s*DKIM1\b/i.test(v) || tags(v).has('p'));
      if (keys.length === 0) return result('missing');
      const wanted = noSpace(tags(record.value).get('p') ?? '');
      return result(keys.some((v) => noSpace(tags(v).get('p') ?? '') === wanted) ? 'verified' : 'mismatch');
    }
    case 'spf':
    case 'mail_from':
    case 'return_path': {
      if (record.type === 'MX') {
        if (found.length === 0) return result('missing');
        return result(found.some((v) => host(v.replace(/^\d+\s+/, '')) === host(record.value)) ? 'verified' : 'mismatch');
      }
      const spf = found.filter((v) => /^v=spf1(\s|$)/i.test(v.trim()));
      if (spf.length === 0) return result('missing');
      // Two SPF records at one name are a permanent error for every receiver.
      if (spf.length > 1) return result('mismatch');
      return result(spfMatches(record, spf[0]!) ? 'verified' : 'mismatch');
    }
    case 'dmarc': {
      const dmarc = found.filter((v) => /^v=DMARC1\s*(;|$)/i.test(v.trim()));
      if (dmarc.length === 0) return result('missing');
      return result(dmarc.length === 1 ? 'verified' : 'mismatch');
    }
  }
}
