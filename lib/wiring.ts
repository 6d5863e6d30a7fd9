/**
 * Builds each handler's dependencies from configuration: SDK clients, adapters, clock,
 * logger. One module per function under lib/wiring/ (beside the parts several share: common,
 * blobs, import bodies, raw messages, sending domains, tenant admin), so that each Lambda bundle holds only the
 * SDK clients and adapters its function uses: the functions (lambdas/) import their own
 * module, never this one. This module gathers them for the local runtime, the admin tools
 * and tests, which call them with clients pointed at the emulators.
 */
export { createLogger, type WiringOverrides } from './wiring/common.ts';
export { wireApi } from './wiring/api.ts';
export { createRelay, wireDeliver } from './wiring/deliver.ts';
export { wireStream } from './wiring/stream.ts';
export { wireSesEvents } from './wiring/ses-events.ts';
export { wireExport } from './wiring/export.ts';
export { wireCampaign } from './wiring/campaign.ts';
export { wireImport } from './wiring/import.ts';
export { wireTrack } from './wiring/track.ts';
export { containerMetrics, wireSmtp } from './wiring/smtp.ts';
export { wireWebhook } from './wiring/webhook.ts';
export { wireInbound } from './wiring/inbound.ts';
