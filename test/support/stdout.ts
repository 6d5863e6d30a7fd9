/** What a piece of code writes to standard output (Powertools' logger and metrics write there), as lines. */

/** The lines written to stdout while `run` runs; nothing of it reaches the terminal. */
export async function captureStdout<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((arg): arg is () => void => typeof arg === 'function');
    done?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await run();
    return {
      result,
      lines: chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    };
  } finally {
    process.stdout.write = write;
  }
}

/** The lines that are JSON objects, parsed. */
export function jsonLines(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return value && typeof value === 'object' && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/** An EMF document's metric definitions: namespace, dimension sets and metric names. */
export interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}

/** The EMF documents among JSON lines (those with `_aws.CloudWatchMetrics`). */
export function emfDocuments(
  lines: Record<string, unknown>[],
): (Record<string, unknown> & { _aws: { CloudWatchMetrics: EmfDirective[] } })[] {
  return lines.filter(
    (line): line is Record<string, unknown> & { _aws: { CloudWatchMetrics: EmfDirective[] } } =>
      typeof line._aws === 'object' &&
      line._aws !== null &&
      Array.isArray((line._aws as { CloudWatchMetrics?: unknown }).CloudWatchMetrics),
  );
}
