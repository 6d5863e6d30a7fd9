/** Lambda: consumes the send queue and relays mail (partial batch responses). */
import { createDeliverHandler } from '../lib/handlers/deliver-handler.ts';
import { wireDeliver } from '../lib/wiring/deliver.ts';

// Built once per container: the SMTP pool and SDK clients are reused across invocations.
export const handler = createDeliverHandler(await wireDeliver(process.env));
