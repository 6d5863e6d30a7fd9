/** Lambda: consumes the inbound queue (SES receiving → S3 + SNS → SQS) into bounces, delays and complaints. */
import { createInboundHandler } from '../lib/handlers/inbound-handler.ts';
import { wireInboundFunction } from '../lib/wiring/inbound.ts';

export const handler = createInboundHandler(await wireInboundFunction(process.env));
