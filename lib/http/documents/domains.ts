/** Answers of the sending-domain routes. */
import * as z from 'zod';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** A DNS record to publish, with the outcome of its last check once the domain was checked. */
export const DNS_RECORD = named(
  'DnsRecord',
  z.strictObject({
    type: z.enum(['TXT', 'CNAME', 'MX']),
    name: z.string(),
    value: z.string().describe('TXT text, CNAME target or MX exchange'),
    priority: z.int().optional().describe('MX preference'),
    purpose: z.enum(['dkim', 'spf', 'dmarc', 'mail_from', 'return_path']),
    required: z.boolean().describe('whether verification depends on it'),
    status: z.enum(['verified', 'missing', 'mismatch', 'error']).optional(),
    found: z.array(z.string()).optional().describe('what the lookup found at the name'),
    error: z.string().optional().describe('why the record could not be checked'),
  }),
);

/** A sending domain: the records to publish and whether they verify it. */
export const DOMAIN = named(
  'Domain',
  z.strictObject({
    name: z.string(),
    mode: z.enum(['dkim', 'ses']).describe('dkim: mailroom signs with its own key; ses: Amazon SES Easy DKIM'),
    status: z.enum(['verified', 'pending']),
    verified: z.boolean(),
    verified_at: TIMESTAMP.nullable(),
    dkim_selector: z.string().optional(),
    records: z.array(DNS_RECORD),
    checked_at: TIMESTAMP.nullable(),
    created_at: TIMESTAMP,
    guidance: z.array(z.string()),
  }),
);

export const DOMAIN_PAGE = pageOf('DomainPage', DOMAIN);
