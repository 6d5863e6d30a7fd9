#!/usr/bin/env -S npx tsx
/**
 * mailroom's admin command line: `npx mailroom <command> [options]`, `npx mailroom --help` for
 * the commands and `npx mailroom <command> --help` for each one's options (bin/cli.ts).
 *
 *   create-key      issues an API key (printed once, stored hashed)
 *   redrive         moves the send queue's dead-letter queue back onto the send queue, and makes
 *                   the messages mailroom had marked `failed` `queued` again (lib/use-cases/redrive.ts)
 *   create-tenant, list-keys, revoke-key, … (bin/tenant-commands.ts)
 *
 * Uses the usual AWS credentials and region; against local mode, `--local` (or no AWS settings
 * while local mode runs) takes its endpoints, tables and DynamoDB Local key from its data
 * folder (bin/local-target.ts).
 */
import { main } from './cli.ts';
import { COMMANDS } from './commands.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(COMMANDS, process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
