import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvChunks, csvRecords } from '../../../lib/domain/csv.ts';

async function* batches(...list: string[][][]): AsyncGenerator<string[][]> {
  yield* list;
}

async function file(header: string[], ...list: string[][][]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of csvChunks(header, batches(...list))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('csvRecords (RFC 4180)', () => {
  it('ends every record in CRLF and leaves plain fields bare', () => {
    expect(
      csvRecords([
        ['a', 'b'],
        ['c', ''],
      ]),
    ).toBe('a,b\r\nc,\r\n');
  });

  it('quotes fields with a comma, a quote, CR or LF, and doubles quotes', () => {
    expect(csvRecords([['x,y', 'say "hi"', 'one\ntwo', 'one\rtwo', 'one\r\ntwo']])).toBe(
      '"x,y","say ""hi""","one\ntwo","one\rtwo","one\r\ntwo"\r\n',
    );
  });

  it('writes nothing for no rows', () => {
    expect(csvRecords([])).toBe('');
  });
});

describe('formula neutralisation (OWASP CSV injection)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['=HYPERLINK("http://evil.test")', `"'=HYPERLINK(""http://evil.test"")"`],
    ['\rx', `"'\rx"`],
    ['\uFF1D1+1', "'\uFF1D1+1"],
  ])('prefixes %j with a quote', (cell, written) => {
    expect(csvRecords([[cell]])).toBe(`${written}\r\n`);
  });

  it.each(['a=1', 'x-y', 'mail@example.org', ' =1', "'quoted", ''])('leaves %j alone', (cell) => {
    expect(parse(csvRecords([[cell, 'z']]))).toEqual([[cell, 'z']]);
  });
});

describe('csvChunks', () => {
  it('starts with the UTF-8 byte order mark, then the header, then the rows', async () => {
    const bytes = await file(['id', 'name'], [['1', 'Zoë']], [], [['2', '日本 😀']]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('id,name\r\n1,Zoë\r\n2,日本 😀\r\n');
    // Multi-byte characters are written as UTF-8, not in a legacy code page.
    expect(bytes.includes(Buffer.from('Zoë', 'utf8'))).toBe(true);
  });

  it('produces a chunk only when one is asked for (the source is pulled, not drained)', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled += 1;
        yield [[String(i)]];
      }
    }
    const iterator = csvChunks(['n'], source());
    await iterator.next(); // header
    await iterator.next(); // first batch
    expect(pulled).toBe(1);
    await iterator.return(undefined);
  });

  it('parses back with csv-parse to the same cells, whatever they hold', async () => {
    const cell = fc.string({ unit: 'binary', maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 10 }), async (rows) => {
        const bytes = await file(['a', 'b', 'c'], rows);
        const parsed = parse(bytes, { bom: true, relax_quotes: false }) as string[][];
        const neutral = (value: string) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value);
        expect(parsed).toEqual([['a', 'b', 'c'], ...rows.map((row) => row.map(neutral))]);
      }),
      { numRuns: 300 },
    );
  });
});
