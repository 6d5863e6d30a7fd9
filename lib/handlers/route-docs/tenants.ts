/** Descriptions of the admin routes: tenants (the operator's), and each tenant's API keys and SMTP credentials. */
import { CREDENTIAL_INPUT, KEY_INPUT, PAUSE_INPUT, TENANT_INPUT, TENANT_PATCH } from '../../domain/tenant-requests.ts';
import { named } from '../../http/documents/registry.ts';
import {
  API_KEY_PAGE,
  CALLER,
  NEW_API_KEY,
  NEW_SMTP_CREDENTIAL,
  SMTP_CREDENTIAL_PAGE,
  TENANT,
  TENANT_PAGE,
} from '../../http/documents/tenants.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { OPERATOR_ONLY, PAGE_QUERY } from './common.ts';

const TENANT_ID = 'the tenant’s id';
const NO_TENANT = '`not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key).';
const OPERATOR = 'The operator’s: an `admin` key of the operator tenant.';
const OWN = 'The operator, or the tenant’s own `admin` key.';

export const createTenant: RouteDoc = {
  operationId: 'createTenant',
  tag: 'Tenants',
  summary: 'Create a tenant',
  description: OPERATOR,
  body: { schema: named('TenantInput', TENANT_INPUT) },
  responses: { 201: { description: 'The new tenant.', schema: TENANT } },
  errors: { 403: OPERATOR_ONLY, 409: '`tenant_exists`: a tenant with that id exists.' },
};

export const listTenants: RouteDoc = {
  operationId: 'listTenants',
  tag: 'Tenants',
  summary: 'List tenants, in id order',
  description: OPERATOR,
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of tenants.', schema: TENANT_PAGE } },
  errors: { 403: OPERATOR_ONLY },
};

export const getTenant: RouteDoc = {
  operationId: 'getTenant',
  tag: 'Tenants',
  summary: 'Read a tenant',
  description: OWN,
  params: { id: TENANT_ID },
  responses: { 200: { description: 'The tenant.', schema: TENANT } },
  errors: { 404: NO_TENANT },
};

export const updateTenant: RouteDoc = {
  operationId: 'updateTenant',
  tag: 'Tenants',
  summary: 'Change a tenant’s name, relay or IP pool',
  description: `${OPERATOR} An SMTP relay’s URL is kept as a secret and shown with its password masked.`,
  params: { id: TENANT_ID },
  body: { schema: named('TenantPatch', TENANT_PATCH) },
  responses: { 200: { description: 'The tenant as changed.', schema: TENANT } },
  errors: {
    403: OPERATOR_ONLY,
    404: NO_TENANT,
    422: '`ses_unavailable`, `unknown_configuration_set`: an SES relay the deployment cannot send through; `unknown_ip_pool`, `ip_pool_needs_ses`, `ip_pool_conflict`: an IP pool that is not configured or does not go with the relay.',
  },
};

export const pauseTenant: RouteDoc = {
  operationId: 'pauseTenant',
  tag: 'Tenants',
  summary: 'Pause a tenant’s sending',
  description: `${OPERATOR} Its sends are refused with \`403 sending_paused\` until it is resumed.`,
  params: { id: TENANT_ID },
  body: { schema: named('PauseInput', PAUSE_INPUT) },
  responses: { 200: { description: 'The tenant, paused.', schema: TENANT } },
  errors: { 403: OPERATOR_ONLY, 404: NO_TENANT },
};

export const resumeTenant: RouteDoc = {
  operationId: 'resumeTenant',
  tag: 'Tenants',
  summary: 'Resume a tenant’s sending',
  description: OPERATOR,
  params: { id: TENANT_ID },
  responses: { 200: { description: 'The tenant, active.', schema: TENANT } },
  errors: { 403: OPERATOR_ONLY, 404: NO_TENANT },
};

export const createApiKey: RouteDoc = {
  operationId: 'createApiKey',
  tag: 'Tenants',
  summary: 'Issue an API key',
  description: `${OWN} The key is shown once; mailroom keeps its hash.`,
  params: { id: TENANT_ID },
  body: { schema: named('ApiKeyInput', KEY_INPUT) },
  responses: { 201: { description: 'The new key.', schema: NEW_API_KEY } },
  errors: { 404: NO_TENANT },
};

export const listApiKeys: RouteDoc = {
  operationId: 'listApiKeys',
  tag: 'Tenants',
  summary: 'List a tenant’s API keys, revoked ones included',
  description: OWN,
  params: { id: TENANT_ID },
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of keys.', schema: API_KEY_PAGE } },
  errors: { 404: NO_TENANT },
};

export const revokeApiKey: RouteDoc = {
  operationId: 'revokeApiKey',
  tag: 'Tenants',
  summary: 'Revoke an API key',
  description: `${OWN} It answers \`401\` from the next request on.`,
  params: { id: TENANT_ID, keyId: 'the key’s id (as listed)' },
  responses: { 204: { description: 'Revoked.' } },
  errors: { 404: `${NO_TENANT} \`not_found\` also for an unknown key.`, 409: '`own_key`: a key cannot revoke itself.' },
};

export const createSmtpCredential: RouteDoc = {
  operationId: 'createSmtpCredential',
  tag: 'Tenants',
  summary: 'Issue an SMTP credential for the SMTP service',
  description: `${OWN} The password is shown once; mailroom keeps its hash.`,
  params: { id: TENANT_ID },
  body: { schema: named('SmtpCredentialInput', CREDENTIAL_INPUT), required: false },
  responses: { 201: { description: 'The new credential and where to connect.', schema: NEW_SMTP_CREDENTIAL } },
  errors: { 404: NO_TENANT },
};

export const listSmtpCredentials: RouteDoc = {
  operationId: 'listSmtpCredentials',
  tag: 'Tenants',
  summary: 'List a tenant’s SMTP credentials, revoked ones included',
  description: OWN,
  params: { id: TENANT_ID },
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of credentials.', schema: SMTP_CREDENTIAL_PAGE } },
  errors: { 404: NO_TENANT },
};

export const revokeSmtpCredential: RouteDoc = {
  operationId: 'revokeSmtpCredential',
  tag: 'Tenants',
  summary: 'Revoke an SMTP credential',
  description: OWN,
  params: { id: TENANT_ID, username: 'the credential’s username (`mr_smtp_…`)' },
  responses: { 204: { description: 'Revoked.' } },
  errors: { 404: `${NO_TENANT} \`not_found\` also for an unknown credential.` },
};

export const getCaller: RouteDoc = {
  operationId: 'getCaller',
  tag: 'Tenants',
  summary: 'The calling key: its tenant and scopes',
  description: 'What the key may do, for a client (such as the console) that shows only what it may. Any valid key may ask.',
  responses: { 200: { description: 'The key.', schema: CALLER } },
};
