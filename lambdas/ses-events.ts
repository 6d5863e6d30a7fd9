/** Lambda: consumes the SES events queue (SES → SNS → SQS) into events, statuses and suppressions. */
import { createSesEventsHandler } from '../lib/handlers/ses-events-handler.ts';
import { wireSesEvents } from '../lib/wiring/ses-events.ts';

export const handler = createSesEventsHandler(wireSesEvents(process.env));
