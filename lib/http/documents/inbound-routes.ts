/** Answers of the inbound route routes. */
import * as z from 'zod';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** A route, as every read answers it. */
export const INBOUND_ROUTE = named(
  'InboundRoute',
  z.strictObject({
    id: z.string(),
    match: z.string().describe('the address, or the domain (every address under it), whose mail is routed'),
    webhook_id: z.string().describe('the endpoint that receives its `inbound.received` events'),
    created_at: TIMESTAMP,
  }),
);

export const INBOUND_ROUTE_PAGE = pageOf('InboundRoutePage', INBOUND_ROUTE);
