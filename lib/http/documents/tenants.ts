/** Answers of the admin routes: tenants, API keys, SMTP credentials. */
import * as z from 'zod';
import { API_KEY_SCOPES } from '../../domain/api-key.ts';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** A tenant; its SMTP relay's URL shows with the password masked. */
export const TENANT = named(
  'Tenant',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    relay: z
      .union([
        z.strictObject({ type: z.literal('smtp'), url: z.string().describe('password masked') }),
        z.strictObject({ type: z.literal('ses'), configuration_set: z.string().nullable() }),
        z.null(),
      ])
      .describe("null: the deployment's relay"),
    ip_pool: z.string().describe('`shared` or a dedicated pool'),
    sending: z.union([
      z.strictObject({ status: z.literal('active') }),
      z.strictObject({
        status: z.literal('paused'),
        reason: z.string(),
        paused_at: TIMESTAMP,
        by: z.enum(['breaker', 'operator']),
      }),
    ]),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
  }),
);

export const TENANT_PAGE = pageOf('TenantPage', TENANT);

const KEY_FIELDS = {
  id: z.string().describe('the first 12 hex characters of its hash'),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  description: z.string().optional(),
  created_at: TIMESTAMP,
  revoked_at: TIMESTAMP.nullable(),
};

/** An API key as listed: never the key itself. */
export const API_KEY = named('ApiKey', z.strictObject(KEY_FIELDS));

/** A new API key: the key is shown this once. */
export const NEW_API_KEY = named('NewApiKey', z.strictObject({ ...KEY_FIELDS, key: z.string().describe('shown only now') }));

export const API_KEY_PAGE = pageOf('ApiKeyPage', API_KEY);

const CREDENTIAL_FIELDS = {
  username: z.string(),
  description: z.string().optional(),
  created_at: TIMESTAMP,
  revoked_at: TIMESTAMP.nullable(),
};

/** An SMTP credential as listed: never the password. */
export const SMTP_CREDENTIAL = named('SmtpCredential', z.strictObject(CREDENTIAL_FIELDS));

/** A new SMTP credential: the password is shown this once, with where to connect. */
export const NEW_SMTP_CREDENTIAL = named(
  'NewSmtpCredential',
  z.strictObject({
    ...CREDENTIAL_FIELDS,
    password: z.string().describe('shown only now'),
    smtp: z.strictObject({
      host: z.string().optional(),
      port: z.int().describe('STARTTLS submission port'),
      secure_port: z.int().describe('implicit TLS port'),
      auth: z.array(z.enum(['PLAIN', 'LOGIN'])),
    }),
  }),
);

export const SMTP_CREDENTIAL_PAGE = pageOf('SmtpCredentialPage', SMTP_CREDENTIAL);

/** The key that makes a request: what it may do, so that a client can show only that. */
export const CALLER = named(
  'Caller',
  z.strictObject({
    tenant: z.string().describe('the tenant the key belongs to'),
    key_id: z.string().nullable().describe('the id listed by `GET /v1/tenants/{id}/keys`'),
    scopes: z.array(z.enum(API_KEY_SCOPES)).describe('`admin` may do everything the others may'),
    operator: z.boolean().describe('whether the key is an `admin` key of the operator tenant, which manages every tenant'),
  }),
);
