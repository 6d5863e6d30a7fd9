/**
 * What the OpenAPI document says of one route (`Route.doc`): a summary, the body and query it
 * takes, the answers it gives and the errors particular to it. Bodies are the zod schemas that
 * validate them; answers are the schemas of lib/http/documents. The errors every route shares
 * (401, 403, 429, 500, and 400, 413 and 415 where a body or query is read) are added by the
 * document builder (openapi.ts); a route describes one of them itself where it says more.
 */
import type * as z from 'zod';

/** The groups of the document (OpenAPI tags), in the order they are listed. */
export const API_TAGS = {
  Messages: 'Send mail and follow what became of it.',
  Suppressions: 'Addresses mailroom does not send to.',
  Lists: 'Mailing lists and their contacts.',
  Templates: 'Stored templates: a subject and bodies kept under an id, sent with data.',
  Campaigns: 'One message per subscribed contact of a list.',
  Reports: 'Counters and rates over days, and downloadable CSV reports.',
  Conversions: 'Conversions reported by your site.',
  Domains: 'Sending domains and the DNS records that verify them.',
  Tenants: 'Accounts, API keys and SMTP credentials (admin).',
  Webhooks: 'Your own HTTPS endpoints that receive your events, signed to the Standard Webhooks specification.',
  Inbound: 'Addresses and domains whose incoming mail is parsed and delivered to one of your webhook endpoints.',
  Meta: 'This document.',
} as const;

export type ApiTag = keyof typeof API_TAGS;

/** A query parameter. */
export interface QueryDoc {
  /** The value's schema (a query value is text: numbers are described as numbers). */
  schema: z.ZodType;
  description: string;
  required?: boolean;
}

/** A header of an answer or a request: its value's schema, and what it says. */
export interface HeaderDoc {
  schema: z.ZodType;
  description: string;
  required?: boolean;
}

/** A success answer; without `schema` its body is empty (204). */
export interface AnswerDoc {
  description: string;
  schema?: z.ZodType;
  /** Headers the answer carries (`Location` of a job). */
  headers?: Record<string, HeaderDoc>;
}

/** A request body: JSON of `schema`, and optionally CSV as well. */
export interface BodyDoc {
  /** A named schema (lib/http/documents/registry.ts). */
  schema: z.ZodType;
  description?: string;
  /** `false` when the route also takes no body at all. */
  required?: boolean;
  /** When the route also takes `text/csv`: what the file holds. */
  csv?: string;
}

/** Error statuses a route may describe as its own. */
export type ErrorStatus = 400 | 403 | 404 | 409 | 410 | 413 | 422 | 503;

/** Success statuses. */
export type SuccessStatus = 200 | 201 | 202 | 204;

export interface RouteDoc {
  /** The operation's name for clients (OpenAPI operationId): camelCase, unique. */
  operationId: string;
  tag: ApiTag;
  /** One line. */
  summary: string;
  description?: string;
  /** A description of each `{name}` of the path; every one must be described. */
  params?: Record<string, string>;
  query?: Record<string, QueryDoc>;
  /** Request headers the route reads (Idempotency-Key aside: see `idempotent`). */
  headers?: Record<string, HeaderDoc>;
  body?: BodyDoc;
  /** Whether the route honours an `Idempotency-Key` header. */
  idempotent?: boolean;
  responses: Partial<Record<SuccessStatus, AnswerDoc>>;
  /** The route's own errors: which codes, and when. */
  errors?: Partial<Record<ErrorStatus, string>>;
}
