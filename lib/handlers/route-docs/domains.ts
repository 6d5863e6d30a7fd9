/** Descriptions of the sending-domain routes. */
import { DOMAIN, DOMAIN_PAGE } from '../../http/documents/domains.ts';
import { named } from '../../http/documents/registry.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { DOMAIN_INPUT } from '../../use-cases/domains.ts';
import { PAGE_QUERY } from './common.ts';

const NAME = 'the domain, e.g. `shop.example`';
const NO_DOMAIN = '`not_found`: the tenant has no such domain.';
const SES_DOWN = '`service_unavailable`: Amazon SES did not answer; nothing changed.';

export const registerDomain: RouteDoc = {
  operationId: 'registerDomain',
  tag: 'Domains',
  summary: 'Add a sending domain: the DNS records to publish',
  body: { schema: named('DomainInput', DOMAIN_INPUT) },
  responses: {
    200: { description: 'The domain existed already: the same records.', schema: DOMAIN },
    201: { description: 'The new domain and the records to publish.', schema: DOMAIN },
  },
  errors: {
    409: '`domain_taken`: another tenant holds the domain (with relay `ses`, also a parent or subdomain of it).',
    422: '`public_suffix`: the name is a public suffix such as `co.uk`.',
    503: SES_DOWN,
  },
};

export const listDomains: RouteDoc = {
  operationId: 'listDomains',
  tag: 'Domains',
  summary: 'List the sending domains, in name order (as last checked)',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of domains.', schema: DOMAIN_PAGE } },
};

export const checkDomain: RouteDoc = {
  operationId: 'checkDomain',
  tag: 'Domains',
  summary: 'Look the domain’s records up now, and read the outcome',
  params: { name: NAME },
  responses: { 200: { description: 'The domain, each record with its status.', schema: DOMAIN } },
  errors: { 400: '`invalid_request`: not a domain name.', 404: NO_DOMAIN },
};

export const deleteDomain: RouteDoc = {
  operationId: 'deleteDomain',
  tag: 'Domains',
  summary: 'Remove a sending domain',
  params: { name: NAME },
  responses: { 204: { description: 'Removed: mail from it is refused from now on.' } },
  errors: { 400: checkDomain.errors![400]!, 404: NO_DOMAIN, 503: SES_DOWN },
};
