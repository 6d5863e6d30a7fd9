/**
 * CSV that spreadsheets open correctly: a header row, RFC 4180 quoting (CRLF between records,
 * fields with a quote, comma, CR or LF quoted, quotes doubled), UTF-8 with a byte order mark,
 * and no cell a spreadsheet would run as a formula.
 *
 * csv-stringify (MIT, no dependencies, from the csv project) does the quoting and the
 * formula escaping. Its synchronous form is used on each batch of rows inside an async
 * generator: the consumer pulls batches as fast as it can store them, so a report of any
 * size is never held in memory whole, without wiring Node streams and their backpressure.
 */
import { stringify, type Options } from 'csv-stringify/sync';

/** MIME type of the files. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const OPTIONS: Options = {
  // RFC 4180: records end in CRLF.
  record_delimiter: 'windows',
  // With a record_delimiter given, csv-stringify would only quote fields holding "\r\n" and let
  // a lone CR or LF through unquoted, which splits the record for every reader: quote them.
  quote_record_delimiter: true,
  // OWASP "CSV injection": a cell starting with =, +, -, @, tab or CR (or their full-width
  // forms) gets a leading `'`, so Excel, LibreOffice and Google Sheets show it as text
  // instead of evaluating it (`=HYPERLINK(…)` in a subject line would otherwise run).
  escape_formulas: true,
};

/**
 * Excel reads a CSV file in the machine's legacy code page (Windows-1252 and the like) unless
 * the file starts with a UTF-8 byte order mark, so without it every non-ASCII name or subject
 * would show as mojibake. Other spreadsheets and csv-parse (`bom: true`) skip it.
 */
const BOM = '\uFEFF';

/** One record (or several) as CSV text, each ending in CRLF. */
export function csvRecords(rows: readonly (readonly string[])[]): string {
  return rows.length === 0 ? '' : stringify(rows as string[][], OPTIONS);
}

/**
 * The CSV file as UTF-8 chunks: the BOM and header first, then one chunk per non-empty batch
 * of rows, produced only as the consumer asks for them.
 */
export async function* csvChunks(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly string[])[]>,
): AsyncGenerator<Buffer> {
  yield Buffer.from(BOM + csvRecords([header]), 'utf8');
  for await (const rows of batches) {
    if (rows.length) yield Buffer.from(csvRecords(rows), 'utf8');
  }
}
