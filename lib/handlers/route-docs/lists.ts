/** Descriptions of the list and contact routes. */
import { CONTACT_IMPORT_DOCUMENT, CONTACT_INPUT, CONTACT_PATCH, LIST_INPUT, MAX_IMPORT_ROWS } from '../../domain/list-requests.ts';
import * as z from 'zod';
import { CONTACT, CONTACT_PAGE, IMPORT_JOB, IMPORT_RESULT, LIST, LIST_PAGE } from '../../http/documents/lists.ts';
import { named } from '../../http/documents/registry.ts';
import { LIST_STATS } from '../../http/documents/reports.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { IMPORT_RETENTION_DAYS } from '../../topology.ts';
import { SYNC_IMPORT_MAX_ROWS } from '../../use-cases/contact-import-jobs.ts';
import { dayRange, PAGE_QUERY } from './common.ts';

const LIST_ID = 'the list’s id';
const EMAIL = 'the contact’s address, URL-encoded (`ann%40example.org`)';
const NO_LIST = '`list_not_found`: no list of that id for this tenant.';
const NO_CONTACT = `${NO_LIST} \`contact_not_found\`: the address is not on the list.`;
const UNSUBSCRIBED = '`contact_unsubscribed`: the person unsubscribed; only they can subscribe again, through a link.';

export const createList: RouteDoc = {
  operationId: 'createList',
  tag: 'Lists',
  summary: 'Create a list',
  body: { schema: named('ListInput', LIST_INPUT) },
  responses: { 201: { description: 'The new list.', schema: LIST } },
};

export const listLists: RouteDoc = {
  operationId: 'listLists',
  tag: 'Lists',
  summary: 'List the lists, oldest first',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of lists.', schema: LIST_PAGE } },
};

export const getList: RouteDoc = {
  operationId: 'getList',
  tag: 'Lists',
  summary: 'Read a list',
  params: { id: LIST_ID },
  responses: { 200: { description: 'The list.', schema: LIST } },
  errors: { 404: NO_LIST },
};

export const deleteList: RouteDoc = {
  operationId: 'deleteList',
  tag: 'Lists',
  summary: 'Delete a list and its contacts',
  description: 'The list and its contacts are not found from then on; the contacts are removed in the background.',
  params: { id: LIST_ID },
  responses: { 204: { description: 'Deleted.' } },
  errors: { 404: NO_LIST, 503: '`service_unavailable`: the removal could not be scheduled; nothing was deleted.' },
};

export const importContacts: RouteDoc = {
  operationId: 'importContacts',
  tag: 'Lists',
  summary: 'Add or replace many contacts',
  description:
    `At most ${MAX_IMPORT_ROWS} rows, read and checked whole before anything is kept. Every row is accounted for; bad rows never stop good ones. Running an import again is safe. ` +
    `At most ${SYNC_IMPORT_MAX_ROWS} rows are written within the request (200, the result); more, or any import with \`Prefer: respond-async\`, run as a job (202, its \`Location\`), whose result \`GET /v1/lists/{id}/contacts/imports/{importId}\` gives once completed.`,
  params: { id: LIST_ID },
  headers: {
    Prefer: {
      schema: z.string(),
      description: '`respond-async` (RFC 7240): run the import as a job whatever its size',
    },
  },
  body: {
    schema: named('ContactImport', CONTACT_IMPORT_DOCUMENT),
    csv: 'a header row with an `email` column, an optional `status` column, and every other column an attribute (UTF-8).',
  },
  responses: {
    200: { description: 'Written within the request: what became of each row.', schema: IMPORT_RESULT },
    202: {
      description: 'Queued as a job: it writes the contacts in the background.',
      schema: IMPORT_JOB,
      headers: { Location: { schema: z.string(), required: true, description: 'the job: `/v1/lists/{id}/contacts/imports/{importId}`' } },
    },
  },
  errors: {
    404: NO_LIST,
    503: '`service_unavailable`: not every contact could be stored, or the job could not be stored or queued; run the import again.',
  },
};

export const getImport: RouteDoc = {
  operationId: 'getImport',
  tag: 'Lists',
  summary: 'Follow a contact import job',
  description:
    'How far the job got; once `completed`, also `failed`, `unsubscribed` and `duplicates`: with `imported` and `failed_count`, what a small import answers. ' +
    `A \`failed\` job says why in \`error\`; the contacts written stay. Jobs are kept ${IMPORT_RETENTION_DAYS} days.`,
  params: { id: LIST_ID, importId: 'the job’s id, as the 202 gave it' },
  responses: { 200: { description: 'The job.', schema: IMPORT_JOB } },
  errors: { 404: '`import_not_found`: no import of that id for this list and tenant, or one past its retention.' },
};

export const addContact: RouteDoc = {
  operationId: 'addContact',
  tag: 'Lists',
  summary: 'Add a contact, or replace the one with that address',
  params: { id: LIST_ID },
  body: { schema: named('ContactInput', CONTACT_INPUT) },
  responses: {
    200: { description: 'The contact replaced the one with that address.', schema: CONTACT },
    201: { description: 'The new contact.', schema: CONTACT },
  },
  errors: { 404: NO_LIST, 409: UNSUBSCRIBED },
};

export const listContacts: RouteDoc = {
  operationId: 'listContacts',
  tag: 'Lists',
  summary: 'List a list’s contacts, in address order',
  params: { id: LIST_ID },
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of contacts.', schema: CONTACT_PAGE } },
  errors: { 404: NO_LIST },
};

export const getContact: RouteDoc = {
  operationId: 'getContact',
  tag: 'Lists',
  summary: 'Read a contact',
  params: { id: LIST_ID, email: EMAIL },
  responses: { 200: { description: 'The contact.', schema: CONTACT } },
  errors: { 400: '`invalid_request`: not an email address.', 404: NO_CONTACT },
};

export const updateContact: RouteDoc = {
  operationId: 'updateContact',
  tag: 'Lists',
  summary: 'Change a contact’s attributes or status',
  description: '`attributes` are merged into the contact’s (`null` removes one).',
  params: { id: LIST_ID, email: EMAIL },
  body: { schema: named('ContactPatch', CONTACT_PATCH) },
  responses: { 200: { description: 'The contact as changed.', schema: CONTACT } },
  errors: { 404: NO_CONTACT, 409: UNSUBSCRIBED },
};

export const removeContact: RouteDoc = {
  operationId: 'removeContact',
  tag: 'Lists',
  summary: 'Remove a contact from a list',
  params: { id: LIST_ID, email: EMAIL },
  responses: { 204: { description: 'Removed.' } },
  errors: getContact.errors!,
};

export const getListStats: RouteDoc = {
  operationId: 'getListStats',
  tag: 'Lists',
  summary: 'The figures of a list’s messages over a range of days',
  params: { id: LIST_ID },
  query: dayRange(false, '; the last 30 days when absent'),
  responses: { 200: { description: 'The figures.', schema: LIST_STATS } },
  errors: { 404: NO_LIST },
};
