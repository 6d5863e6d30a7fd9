/**
 * In-memory fakes of mailroom's ports, for unit tests of use cases and handlers. Each keeps
 * what it was given where a test can read it; integration tests use the real adapters on
 * DynamoDB Local and the SQS emulator instead.
 */
export { memoryLog, type LogLine, type MemoryLog } from './log.ts';
