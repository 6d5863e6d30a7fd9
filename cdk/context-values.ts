/**
 * Reading single context values: the error that names a bad one, and the parsers every
 * `mailroom:*` key shares.
 */
import type { Node } from 'constructs';

/** A context value that fails validation. */
export class ContextError extends Error {
  constructor(key: string, problem: string) {
    super(`context ${key} ${problem}`);
    this.name = 'ContextError';
  }
}

// The complete ARN ends in the six random characters Secrets Manager appends to the name;
// a grant on a partial ARN would not match the secret.
export const COMPLETE_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** A context value as an optional trimmed string (`cdk -c` passes strings, cdk.json may not). */
export function optionalString(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new ContextError(key, `must be a string, got ${JSON.stringify(raw)}`);
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/** A context value that may be JSON (`cdk -c key='[…]'` passes strings; cdk.json passes values). */
export function structured(node: Node, key: string): unknown {
  const raw: unknown = node.tryGetContext(key);
  if (typeof raw !== 'string') return raw ?? undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ContextError(key, `must be JSON, got ${JSON.stringify(raw)}`);
  }
}
