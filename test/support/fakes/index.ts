/**
 * In-memory fakes of mailroom's ports, for unit tests of use cases and handlers. Each keeps
 * what it was given where a test can read it; integration tests use the real adapters on
 * DynamoDB Local and the SQS emulator instead.
 */
export { MemoryAttachmentStore, MemoryUploadStore } from './attachment-store.ts';
export { clockAt, type TestClock } from './clock.ts';
export { MemoryContactImportStore, MemoryImportBodyStore } from './contact-import-store.ts';
export { MemoryDeliveryScheduler } from './delivery-scheduler.ts';
export { MemoryEventStore } from './event-store.ts';
export { MemoryIdempotencyStore } from './idempotency-store.ts';
export { MemoryListStore } from './list-store.ts';
export { memoryLog, type LogLine, type MemoryLog } from './log.ts';
export { ACCEPTED, MemoryRelay } from './mail-relay.ts';
export { MemoryMessageStore } from './message-store.ts';
export { MemoryMetrics, type DataPoint } from './metrics.ts';
export { MemoryNotifier } from './notifier.ts';
export { MemoryPacer } from './pacer.ts';
export { MemoryRawMessageStore } from './raw-message-store.ts';
export { MemorySendQueue } from './send-queue.ts';
export { MemorySoftBounceStore } from './soft-bounce-store.ts';
export { MemorySuppressionStore } from './suppression-store.ts';
export { MemoryTemplateStore } from './template-store.ts';
export { MemoryTenantStore, tenant } from './tenant-store.ts';
export { MemoryUnsubscribeStore } from './unsubscribe-store.ts';
export { MemoryWebhookDeliveryStore, MemoryWebhookQueue, MemoryWebhookStore, ScriptedWebhookSender, tableResolver } from './webhooks.ts';
