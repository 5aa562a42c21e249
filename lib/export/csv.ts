/**
 * A small streaming CSV writer: RFC 4180 quoting, the OWASP formula-injection guard, and an
 * optional UTF-8 byte-order mark so Excel reads accented names correctly. Rows are pulled one at
 * a time from an (async) iterable, so an export of a large class never sits in memory whole.
 * Why not csv-stringify: docs/decisions/007-item-statistics.md.
 */

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvValue;
}

export interface CsvOptions {
  /** Prefix U+FEFF. Excel otherwise guesses the file's encoding from the system locale. */
  bom?: boolean;
  /** RFC 4180 uses CRLF; Excel and every CSV reader we target accept it. */
  lineEnding?: '\r\n' | '\n';
  /** Rows are batched into chunks of about this many characters, to keep stream overhead low. */
  chunkSize?: number;
}

const BOM = '\uFEFF';

/**
 * Spreadsheets treat a cell starting with one of these as a formula (=HYPERLINK, DDE via =cmd|...).
 * OWASP's CSV Injection guidance: prefix such cells with a single quote so they stay text.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

function needsQuotes(text: string): boolean {
  return /[",\r\n]/.test(text);
}

/** The text of one cell, guarded and quoted as needed. */
export function formatCsvCell(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // A number the code produced is data, not user text: "-2" stays a number in the spreadsheet.
    // NaN and Infinity have no spreadsheet meaning, so they become empty cells.
    return Number.isFinite(value) ? String(value) : '';
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  text = value;
  if (text.length > 0 && FORMULA_TRIGGERS.has(text.charAt(0))) text = `'${text}`;
  return needsQuotes(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsvRow(values: readonly CsvValue[]): string {
  return values.map(formatCsvCell).join(',');
}

/** CSV text in chunks: the header line, then one line per row, each ending with the line ending. */
export async function* csvChunks<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  columns: readonly CsvColumn<Row>[],
  options: CsvOptions = {},
): AsyncGenerator<string, void, undefined> {
  const lineEnding = options.lineEnding ?? '\r\n';
  const chunkSize = options.chunkSize ?? 16_384;
  let buffer = (options.bom === true ? BOM : '') + formatCsvRow(columns.map((column) => column.header)) + lineEnding;
  for await (const row of rows) {
    buffer += formatCsvRow(columns.map((column) => column.value(row))) + lineEnding;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

/** Whole CSV as one string; for small exports and tests. */
export async function toCsvString<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  columns: readonly CsvColumn<Row>[],
  options: CsvOptions = {},
): Promise<string> {
  let text = '';
  for await (const chunk of csvChunks(rows, columns, options)) text += chunk;
  return text;
}

/**
 * A web ReadableStream of UTF-8 bytes, for a route handler's `new Response(stream)`. Pull-based:
 * the next rows are read only when the client has taken the previous chunk.
 */
export function csvReadableStream<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  columns: readonly CsvColumn<Row>[],
  options: CsvOptions = {},
): ReadableStream<Uint8Array> {
  const chunks = csvChunks(rows, columns, options);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done === true) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      // Lets the row source close its database cursor when the download is aborted.
      await chunks.return(undefined);
    },
  });
}
