/** API routes of mailing lists and their contacts: reading needs `read`, changes need `send`. */
import { MailroomError } from '../domain/errors.ts';
import { jsonBody, textBody, type ApiRequest } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import { MAX_IMPORT_BYTES } from '../topology.ts';
import { acceptImport, getImport, type ImportRequest } from '../use-cases/contact-import-jobs.ts';
import { addContact, getContact, listContacts, removeContact, updateContact } from '../use-cases/contacts.ts';
import { createList, deleteList, getList, listLists } from '../use-cases/lists.ts';
import type { ApiDeps } from './api-handler.ts';
import * as lists from './route-docs/lists.ts';

const CSV = /^text\/csv\s*(?:;|$)/i;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A `Prefer` header that asks for `respond-async` (RFC 7240): the caller wants a job whatever the size. */
const RESPOND_ASYNC = /(?:^|,)\s*respond-async\s*(?:[;,]|$)/i;

/**
 * The import body, JSON or CSV by its Content-Type (413 past MAX_IMPORT_BYTES, 415 for anything
 * else), its text as sent, and whether the caller prefers a job.
 */
function importRequest(request: ApiRequest): ImportRequest {
  const text = textBody(request, MAX_IMPORT_BYTES);
  const type = request.headers['content-type'] ?? '';
  const preferAsync = RESPOND_ASYNC.test(request.headers.prefer ?? '');
  if (CSV.test(type)) return { source: { format: 'csv', text }, text, preferAsync };
  if (JSON_TYPE.test(type) || text.trim() === '') {
    return { source: { format: 'json', body: jsonBody(request, true, MAX_IMPORT_BYTES) }, text, preferAsync };
  }
  throw new MailroomError(
    415,
    'unsupported_media_type',
    'Send the contacts as JSON ("Content-Type: application/json") or CSV ("Content-Type: text/csv").',
  );
}

/** The list and contact routes. */
export function listRoutes(deps: ApiDeps): Route[] {
  const list = (params: Record<string, string>) => params.id ?? '';
  const email = (params: Record<string, string>) => params.email ?? '';
  return [
    {
      method: 'POST',
      path: '/v1/lists',
      scope: 'send',
      doc: lists.createList,
      action: async ({ tenant, request }) => json(201, await createList(deps, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/lists',
      scope: 'read',
      doc: lists.listLists,
      action: async ({ tenant, request }) => json(200, await listLists(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/lists/{id}',
      scope: 'read',
      doc: lists.getList,
      action: async ({ tenant, params }) => json(200, await getList(deps, tenant, list(params))),
    },
    {
      method: 'DELETE',
      path: '/v1/lists/{id}',
      scope: 'send',
      doc: lists.deleteList,
      action: async ({ tenant, params }) => {
        await deleteList(deps, tenant, list(params));
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/v1/lists/{id}/contacts/import',
      scope: 'send',
      doc: lists.importContacts,
      action: async ({ tenant, params, request }) => {
        const outcome = await acceptImport(deps, tenant, list(params), importRequest(request));
        return outcome.kind === 'done' ? json(200, outcome.answer) : json(202, outcome.job, { location: outcome.location });
      },
    },
    {
      method: 'GET',
      path: '/v1/lists/{id}/contacts/imports/{importId}',
      scope: 'read',
      doc: lists.getImport,
      action: async ({ tenant, params }) => json(200, await getImport(deps, tenant, list(params), params.importId ?? '')),
    },
    {
      method: 'POST',
      path: '/v1/lists/{id}/contacts',
      scope: 'send',
      doc: lists.addContact,
      action: async ({ tenant, params, request }) => {
        const { created, contact } = await addContact(deps, tenant, list(params), jsonBody(request));
        return json(created ? 201 : 200, contact);
      },
    },
    {
      method: 'GET',
      path: '/v1/lists/{id}/contacts',
      scope: 'read',
      doc: lists.listContacts,
      action: async ({ tenant, params, request }) => json(200, await listContacts(deps, tenant, list(params), request.query)),
    },
    {
      method: 'GET',
      path: '/v1/lists/{id}/contacts/{email}',
      scope: 'read',
      doc: lists.getContact,
      action: async ({ tenant, params }) => json(200, await getContact(deps, tenant, list(params), email(params))),
    },
    {
      method: 'PATCH',
      path: '/v1/lists/{id}/contacts/{email}',
      scope: 'send',
      doc: lists.updateContact,
      action: async ({ tenant, params, request }) =>
        json(200, await updateContact(deps, tenant, list(params), email(params), jsonBody(request))),
    },
    {
      method: 'DELETE',
      path: '/v1/lists/{id}/contacts/{email}',
      scope: 'send',
      doc: lists.removeContact,
      action: async ({ tenant, params }) => {
        await removeContact(deps, tenant, list(params), email(params));
        return noContent();
      },
    },
  ];
}
