/**
 * The admin API: tenants (operator), and each tenant's API keys and SMTP credentials (the
 * operator, or the tenant's own `admin` key). Every route needs the `admin` scope.
 */
import { parseCredentialInput, parseKeyInput, parsePauseInput, parseTenantInput, parseTenantPatch } from '../domain/tenant-requests.ts';
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route, RouteContext } from '../http/router.ts';
import type { ApiKeyStore } from '../ports/api-key-store.ts';
import type { SmtpCredentialStore } from '../ports/smtp-credential-store.ts';
import { issueApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from '../use-cases/api-keys.ts';
import { pageLimit } from '../use-cases/lists.ts';
import {
  issueSmtpCredential,
  listSmtpCredentials,
  revokeSmtpCredential,
  type SmtpCredentialSummary,
} from '../use-cases/smtp-credentials.ts';
import {
  createTenant,
  listTenants,
  pauseTenant,
  requireTenant,
  resumeTenant,
  tenantView,
  updateTenant,
  type TenantDeps,
} from '../use-cases/tenants.ts';
import { requireOperator, tenantInPath } from './tenant-access.ts';
import * as tenants from './route-docs/tenants.ts';

/** Where SMTP clients connect, as shown with a new credential. */
export interface SmtpHints {
  host?: string;
  /** STARTTLS submission port. */
  port: number;
  /** Implicit TLS port. */
  securePort: number;
}

/** What the admin routes need. */
export interface TenantRouteDeps extends TenantDeps {
  apiKeys: ApiKeyStore;
  smtpCredentials: SmtpCredentialStore;
  /** The tenant whose `admin` keys manage every tenant (MAILROOM_OPERATOR_TENANT, `operator` by default). */
  operatorTenant: string;
  smtpHints: SmtpHints;
}

function keyView(key: ApiKeySummary) {
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes,
    ...(key.description !== undefined && { description: key.description }),
    created_at: key.createdAt,
    revoked_at: key.revokedAt ?? null,
  };
}

function credentialView(credential: SmtpCredentialSummary) {
  return {
    username: credential.username,
    ...(credential.description !== undefined && { description: credential.description }),
    created_at: credential.createdAt,
    revoked_at: credential.revokedAt ?? null,
  };
}

function page(query: Record<string, string>): { limit: number; cursor?: string } {
  return { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) };
}

/** The admin routes. */
export function tenantRoutes(deps: TenantRouteDeps): Route[] {
  /** `{id}` when the caller may act on it; the operator acting on another tenant needs its record. */
  const target = async ({ principal, params }: RouteContext, options: { operatorOnly?: boolean } = {}): Promise<string> => {
    const id = tenantInPath(principal, deps.operatorTenant, params.id ?? '', options);
    if (id !== principal.tenant) await requireTenant(deps.tenants, id);
    return id;
  };
  return [
    {
      method: 'POST',
      path: '/v1/tenants',
      scope: 'admin',
      doc: tenants.createTenant,
      action: async ({ principal, request }) => {
        requireOperator(principal, deps.operatorTenant);
        return json(201, tenantView(await createTenant(deps, parseTenantInput(jsonBody(request)))));
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants',
      scope: 'admin',
      doc: tenants.listTenants,
      action: async ({ principal, request }) => {
        requireOperator(principal, deps.operatorTenant);
        const result = await listTenants(deps, page(request.query));
        return json(200, { data: result.tenants.map(tenantView), next_cursor: result.cursor ?? null });
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants/{id}',
      scope: 'admin',
      doc: tenants.getTenant,
      action: async (context) =>
        json(
          200,
          tenantView(await requireTenant(deps.tenants, tenantInPath(context.principal, deps.operatorTenant, context.params.id ?? ''))),
        ),
    },
    {
      method: 'PATCH',
      path: '/v1/tenants/{id}',
      scope: 'admin',
      doc: tenants.updateTenant,
      action: async (context) => {
        const id = tenantInPath(context.principal, deps.operatorTenant, context.params.id ?? '', { operatorOnly: true });
        return json(200, tenantView(await updateTenant(deps, id, parseTenantPatch(jsonBody(context.request)))));
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{id}/pause',
      scope: 'admin',
      doc: tenants.pauseTenant,
      action: async (context) => {
        const id = tenantInPath(context.principal, deps.operatorTenant, context.params.id ?? '', { operatorOnly: true });
        return json(200, tenantView(await pauseTenant(deps, id, parsePauseInput(jsonBody(context.request)).reason)));
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{id}/resume',
      scope: 'admin',
      doc: tenants.resumeTenant,
      action: async (context) => {
        const id = tenantInPath(context.principal, deps.operatorTenant, context.params.id ?? '', { operatorOnly: true });
        return json(200, tenantView(await resumeTenant(deps, id)));
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{id}/keys',
      scope: 'admin',
      doc: tenants.createApiKey,
      action: async (context) => {
        const id = await target(context);
        const issued = await issueApiKey(deps, id, parseKeyInput(jsonBody(context.request)));
        return json(201, { ...keyView(issued), key: issued.key });
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants/{id}/keys',
      scope: 'admin',
      doc: tenants.listApiKeys,
      action: async (context) => {
        const result = await listApiKeys(deps, await target(context), page(context.request.query));
        return json(200, { data: result.items.map(keyView), next_cursor: result.cursor ?? null });
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tenants/{id}/keys/{keyId}',
      scope: 'admin',
      doc: tenants.revokeApiKey,
      action: async (context) => {
        const id = await target(context);
        // A key never revokes itself, the operator's included: another admin key or the CLI can.
        const { keyId } = context.principal;
        await revokeApiKey(deps, id, context.params.keyId ?? '', keyId === undefined ? {} : { callerKeyId: keyId });
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{id}/smtp-credentials',
      scope: 'admin',
      doc: tenants.createSmtpCredential,
      action: async (context) => {
        const id = await target(context);
        const issued = await issueSmtpCredential(
          { credentials: deps.smtpCredentials, clock: deps.clock },
          id,
          parseCredentialInput(jsonBody(context.request, false)),
        );
        const { host, port, securePort } = deps.smtpHints;
        return json(201, {
          ...credentialView(issued),
          password: issued.password,
          smtp: { ...(host && { host }), port, secure_port: securePort, auth: ['PLAIN', 'LOGIN'] },
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants/{id}/smtp-credentials',
      scope: 'admin',
      doc: tenants.listSmtpCredentials,
      action: async (context) => {
        const result = await listSmtpCredentials({ credentials: deps.smtpCredentials }, await target(context), page(context.request.query));
        return json(200, { data: result.items.map(credentialView), next_cursor: result.cursor ?? null });
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tenants/{id}/smtp-credentials/{username}',
      scope: 'admin',
      doc: tenants.revokeSmtpCredential,
      action: async (context) => {
        const id = await target(context);
        await revokeSmtpCredential({ credentials: deps.smtpCredentials, clock: deps.clock }, context.params.username ?? '', { tenant: id });
        return noContent();
      },
    },
  ];
}
