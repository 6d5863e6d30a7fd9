/** The mailroom API client: a typed `fetch` client, its error, and the API's types. */
export { MailroomClient, type MailroomClientOptions } from './client.ts';
export { MailroomApiError } from './errors.ts';
export type { Method, PathsWith, RequestInit } from './request-types.ts';
export type * from './schema.ts';
