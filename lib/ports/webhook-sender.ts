import type { WebhookAnswer } from '../domain/webhook-delivery.ts';

/** One webhook request: the endpoint's URL, the signature headers, the document. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Posts webhooks: to public addresses only (checked on the address connected to), without
 * following redirects, within a time limit. Never throws: a refused, failed or timed-out
 * request is an answer with an `error`.
 */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookAnswer>;
}

/** Resolves host names to the addresses a connection would use. */
export interface HostResolver {
  /** Every address of `host` (IPv4 and IPv6); none when it does not resolve. Never throws. */
  addresses(host: string): Promise<string[]>;
}
