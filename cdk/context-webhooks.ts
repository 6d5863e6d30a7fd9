/**
 * The context values of tenants' webhooks: which ports an `https://` endpoint may name besides
 * 443, and how many endpoints a tenant may register. Both reach the functions as
 * MAILROOM_WEBHOOK_PORTS and MAILROOM_WEBHOOK_MAX_ENDPOINTS.
 */
import type { Node } from 'constructs';
import { ContextError } from './context-values.ts';

/** The webhook settings a deployment changes; absent ones keep the functions' defaults. */
export interface WebhookContext {
  /** Ports an `https://` webhook URL may name (443 among them unless left out on purpose). */
  webhookPorts?: number[];
  /** Endpoints one tenant may register. */
  webhookMaxEndpoints?: number;
}

/** Reads `keys.webhookPorts` (a list of ports, or a comma-separated string) and `keys.webhookMaxEndpoints`. */
export function webhookContext(node: Node, keys: { webhookPorts: string; webhookMaxEndpoints: string }): WebhookContext {
  const context: WebhookContext = {};
  const rawPorts: unknown = node.tryGetContext(keys.webhookPorts);
  if (rawPorts !== undefined && rawPorts !== null && rawPorts !== '') {
    const list = typeof rawPorts === 'string' ? rawPorts.split(',').map((p) => Number(p.trim())) : rawPorts;
    if (!Array.isArray(list) || list.length === 0 || !list.every((p) => Number.isInteger(p) && p >= 1 && p <= 65_535)) {
      throw new ContextError(
        keys.webhookPorts,
        `must be a list of ports from 1 to 65535, e.g. [443, 8443], got ${JSON.stringify(rawPorts)}`,
      );
    }
    context.webhookPorts = [...new Set(list as number[])];
  }
  const rawMax: unknown = node.tryGetContext(keys.webhookMaxEndpoints);
  if (rawMax !== undefined && rawMax !== null && rawMax !== '') {
    const value = typeof rawMax === 'string' ? Number(rawMax.trim()) : rawMax;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
      throw new ContextError(keys.webhookMaxEndpoints, `must be a whole number from 1 to 1000, got ${JSON.stringify(rawMax)}`);
    }
    context.webhookMaxEndpoints = value;
  }
  return context;
}
