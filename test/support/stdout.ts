/**
 * What a piece of code writes to standard output and standard error, as lines: Powertools'
 * logger writes warnings and errors to stderr, the rest and its metrics to stdout (Lambda
 * sends both to the function's log group).
 */

/** The lines written to stdout and stderr while `run` runs, in order; nothing of it reaches the terminal. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  let text = '';
  const restore = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      rest.find((arg): arg is () => void => typeof arg === 'function')?.();
      return true;
    }) as typeof stream.write;
    return () => void (stream.write = write);
  });
  try {
    const result = await run();
    return { result, lines: text.split('\n').filter((line) => line.trim() !== '') };
  } finally {
    for (const undo of restore) undo();
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
