import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { csvChunks, csvReadableStream, formatCsvCell, formatCsvRow, toCsvString, type CsvColumn } from './csv';

/** A minimal RFC 4180 reader, written for the test only, to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe('formatCsvCell: RFC 4180 quoting', () => {
  it('leaves plain text alone', () => {
    expect(formatCsvCell('Ana María')).toBe('Ana María');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(formatCsvCell('a,b')).toBe('"a,b"');
    expect(formatCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(formatCsvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('writes null, numbers, booleans and dates plainly', () => {
    expect(formatCsvCell(null)).toBe('');
    expect(formatCsvCell(undefined)).toBe('');
    expect(formatCsvCell(0.75)).toBe('0.75');
    expect(formatCsvCell(Number.NaN)).toBe('');
    expect(formatCsvCell(true)).toBe('true');
    expect(formatCsvCell(12n)).toBe('12');
    expect(formatCsvCell(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('formatCsvCell: formula-injection guard (OWASP)', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tleading tab', "'\tleading tab"],
    ['\rleading CR', `"'\rleading CR"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('%j → %j', (input, expected) => {
    expect(formatCsvCell(input)).toBe(expected);
  });

  it('does not touch the characters when they are not first, nor numbers the code produced', () => {
    expect(formatCsvCell('a=b')).toBe('a=b');
    expect(formatCsvCell(' =1')).toBe(' =1');
    expect(formatCsvCell(-2)).toBe('-2');
  });

  it('guards header cells too', () => {
    expect(formatCsvRow(['=x', 'ok'])).toBe("'=x,ok");
  });
});

describe('csvChunks and friends', () => {
  interface Person {
    name: string;
    score: number | null;
  }
  const columns: CsvColumn<Person>[] = [
    { header: 'Name', value: (p) => p.name },
    { header: 'Score', value: (p) => p.score },
  ];
  const people: Person[] = [
    { name: 'Ana', score: 0.5 },
    { name: 'Li, "Lee"', score: null },
    { name: '=1+1', score: 1 },
  ];

  it('writes header and rows with CRLF', async () => {
    expect(await toCsvString(people, columns)).toBe('Name,Score\r\nAna,0.5\r\n"Li, ""Lee""",\r\n\'=1+1,1\r\n');
  });

  it('adds a BOM when asked, and can use LF', async () => {
    const text = await toCsvString(people.slice(0, 1), columns, { bom: true, lineEnding: '\n' });
    expect(text).toBe('\uFEFFName,Score\nAna,0.5\n');
  });

  it('streams from an async source in bounded chunks that join to the same text', async () => {
    async function* many(): AsyncGenerator<Person> {
      for (let i = 0; i < 1000; i++) {
        await Promise.resolve(); // a real source (a database cursor) awaits between rows
        yield { name: `Learner ${i}`, score: i / 1000 };
      }
    }
    const chunks: string[] = [];
    for await (const chunk of csvChunks(many(), columns, { chunkSize: 1000 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(10);
    // each chunk stops at the first row boundary past 1000 characters; one row here is < 30
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(1030);
    const rows = parseCsv(chunks.join(''));
    expect(rows).toHaveLength(1001);
    expect(rows[1000]).toEqual(['Learner 999', '0.999']);
  });

  it('a ReadableStream gives UTF-8 bytes starting with EF BB BF when bom is on', async () => {
    const stream = csvReadableStream([{ name: 'José', score: 1 }], columns, { bom: true });
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM by default, which is what a spreadsheet does too.
    expect(new TextDecoder().decode(bytes)).toBe('Name,Score\r\nJosé,1\r\n');
  });

  it('cancelling the stream closes the row source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Person> {
      try {
        for (let i = 0; ; i++) {
          await Promise.resolve();
          yield { name: `n${i}`, score: i };
        }
      } finally {
        closed = true;
      }
    }
    const reader = csvReadableStream(source(), columns, { chunkSize: 10 }).getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });

  it('any strings round-trip through a reader, the guard adding only the leading quote', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 20 }),
        async (cells) => {
          const cols: CsvColumn<string[]>[] = [
            { header: 'a', value: (r) => r[0] },
            { header: 'b', value: (r) => r[1] },
          ];
          const parsed = parseCsv(await toCsvString(cells, cols));
          const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
          expect(parsed).toEqual([['a', 'b'], ...cells.map((r) => r.map(guard))]);
        },
      ),
    );
  });
});
