/** Lambda: the public link routes (click redirects, open and conversion pixels, unsubscribe) behind API Gateway (HTTP API, payload 2.0). */
import { createTrackHandler } from '../lib/handlers/track-handler.ts';
import { wireTrack } from '../lib/wiring/track.ts';

export const handler = createTrackHandler(await wireTrack(process.env));
