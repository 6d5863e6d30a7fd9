/** Lambda: consumes the events table's stream into daily counters and SNS notifications. */
import { createStreamHandler } from '../lib/handlers/stream-handler.ts';
import { wireStream } from '../lib/wiring/stream.ts';

export const handler = createStreamHandler(wireStream(process.env));
