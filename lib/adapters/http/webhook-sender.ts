/**
 * Posts webhooks over HTTP(S) with node:http, so that the address connected to is the one
 * checked: the request's `lookup` resolves the host, refuses the connection unless every
 * address is allowed (webhook-url.ts), and hands the checked address to the socket, so DNS
 * cannot answer differently between check and connect (rebinding). IP literals are checked
 * before the request. Redirects are not followed (node:http never does); the whole request has
 * a time limit; the answer's body is read no further than its status. A fresh connection per
 * request: no pooled socket outlives the check, or a frozen Lambda, to fail a later delivery.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookAnswer } from '../../domain/webhook-delivery.ts';
import { addressesProblem, addressProblem, checkWebhookUrl, type WebhookUrlPolicy } from '../../domain/webhook-url.ts';
import type { HostResolver, WebhookRequest, WebhookSender } from '../../ports/webhook-sender.ts';
import { MAILROOM_VERSION } from '../../version.ts';
import { SystemHostResolver } from './host-resolver.ts';

/** The time limit of one request, connecting included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** What each request says it comes from. */
export const WEBHOOK_USER_AGENT = `mailroom/${MAILROOM_VERSION} (webhooks)`;

export interface HttpWebhookSenderOptions {
  policy: WebhookUrlPolicy;
  /** Default WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Resolves hosts at connect time; the system's resolver by default (tests give one that lies, as a rebinding DNS would). */
  resolver?: HostResolver;
}

/** A connection mailroom refused to make: the address is not one it may post to. */
class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

/** A failure in a few words for the delivery log: never an address of mailroom's own network or a stack. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof RefusedAddressError) return `refused: ${error.message}`;
  const code = (error as { code?: string })?.code ?? '';
  if (code === 'ETIMEDOUT' || (error as Error)?.name === 'TimeoutError') return `timed out after ${timeoutMs / 1000} s`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'host not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS failed (${code})`;
  return code ? `connection failed (${code})` : 'connection failed';
}

/** {@link WebhookSender} on node:http and node:https. */
export class HttpWebhookSender implements WebhookSender {
  readonly #policy: WebhookUrlPolicy;
  readonly #timeoutMs: number;
  readonly #resolver: HostResolver;

  constructor(options: HttpWebhookSenderOptions) {
    this.#policy = options.policy;
    this.#timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.#resolver = options.resolver ?? new SystemHostResolver();
  }

  async send(request: WebhookRequest): Promise<WebhookAnswer> {
    const started = Date.now();
    const answer = (fields: Omit<WebhookAnswer, 'durationMs'>): WebhookAnswer => ({ ...fields, durationMs: Date.now() - started });
    const checked = checkWebhookUrl(request.url, this.#policy);
    if (!checked.ok) return answer({ error: `refused: the URL ${checked.problem}` });
    const target = checked.target;
    if (target.literal) {
      const problem = addressProblem(target.host, target);
      if (problem) return answer({ error: `refused: ${problem}` });
    }
    // Resolve, check every address, connect to the first: the socket never resolves again.
    const lookup: LookupFunction = (hostname, options, callback) => {
      this.#resolver.addresses(hostname).then(
        (addresses) => {
          const problem = addressesProblem(addresses, target);
          if (problem) return callback(new RefusedAddressError(problem), '', 0);
          const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
          if (options.all) return (callback as unknown as (e: null, all: typeof entries) => void)(null, entries);
          return callback(null, entries[0]!.address, entries[0]!.family);
        },
        (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = Buffer.from(request.body, 'utf8');
    return new Promise<WebhookAnswer>((resolve) => {
      let settled = false;
      const finish = (value: WebhookAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const req = send(
        {
          method: 'POST',
          host: target.host,
          port: target.port,
          path: target.path,
          lookup,
          agent: false,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': WEBHOOK_USER_AGENT,
          },
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          // The status is the answer; the body is neither kept nor waited for.
          res.destroy();
          finish(
            answer(
              status >= 200 && status < 300
                ? { statusCode: status }
                : {
                    statusCode: status,
                    error: `answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
                  },
            ),
          );
        },
      );
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      }, this.#timeoutMs);
      req.on('error', (error) => finish(answer({ error: describe(error, this.#timeoutMs) })));
      req.end(body);
    });
  }
}
