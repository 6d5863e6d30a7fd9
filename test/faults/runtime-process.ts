/**
 * A local runtime in a process of its own, for tests that kill it: startLocal's options come as
 * JSON in the first argument; once the runtime runs, one line of JSON on stdout says where.
 */
import { ENV } from '../../lib/env.ts';
import { startLocal, type LocalOptions } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as LocalOptions;
const runtime = await startLocal({ ...options, log: memoryLog() });
process.stdout.write(
  `${JSON.stringify({
    apiUrl: runtime.apiUrl,
    apiKey: runtime.apiKey,
    queueUrl: runtime.queueUrl,
    deadLetterQueueUrl: runtime.deadLetterQueueUrl,
    messagesTable: runtime.env[ENV.messagesTable],
  })}\n`,
);
process.once('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
