/** Lambda: the HTTPS API behind API Gateway (HTTP API, payload 2.0). */
import { createApiHandler } from '../lib/handlers/api-handler.ts';
import { wireApi } from '../lib/wiring/api.ts';

export const handler = createApiHandler(wireApi(process.env));
