import { describe, expect, it } from 'vitest';
import { csvField, recordKeys, textTable, toCsv, toRecords } from './csv';

// RFC 4180 §2: fields with comma, quote, CR or LF are quoted; quotes are doubled; CRLF ends records.
describe('csvField', () => {
  it('leaves plain fields alone', () => {
    expect(csvField('INT8')).toBe('INT8');
    expect(csvField('1.5e-3')).toBe('1.5e-3');
    expect(csvField('')).toBe('');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });
  it('quotes fields with a comma, quote, CR or LF and doubles quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('"')).toBe('""""');
  });
});

describe('toCsv', () => {
  it('writes CRLF-separated records with a final CRLF', () => {
    expect(toCsv({ header: ['format', 'bits'], rows: [['INT8', '8'], ['NF4, DQ', '4.127']] })).toBe(
      'format,bits\r\nINT8,8\r\n"NF4, DQ",4.127\r\n',
    );
  });
  it('pads short rows so every record has as many fields', () => {
    expect(toCsv({ header: ['a', 'b', 'c'], rows: [['1']] })).toBe('a,b,c\r\n1,,\r\n');
    expect(toCsv({ header: ['a'], rows: [['1', '2']] })).toBe('a,\r\n1,2\r\n');
  });
});

describe('recordKeys', () => {
  it('trims, names empty cells and numbers repeats', () => {
    expect(recordKeys(['  format\n name ', '', 'MSE', 'MSE', 'MSE'])).toEqual(['format name', 'column 2', 'MSE', 'MSE (2)', 'MSE (3)']);
  });
});

describe('toRecords', () => {
  it('keys each row by the header', () => {
    expect(toRecords({ header: ['format', 'bits'], rows: [['INT8', '8'], ['FP16', '16']] })).toEqual([
      { format: 'INT8', bits: '8' },
      { format: 'FP16', bits: '16' },
    ]);
  });
  it('names cells beyond the header and leaves missing cells out', () => {
    expect(toRecords({ header: ['a'], rows: [['1', '2'], []] })).toEqual([{ a: '1', 'column 2': '2' }, {}]);
  });
});

describe('textTable', () => {
  it('merges header rows per column and keeps the body', () => {
    const t = textTable([['', 'weights', 'weights'], ['format', 'bytes', 'MSE'], ['INT8', '1', '2e-5']], 2);
    expect(t).toEqual({ header: ['format', 'weights – bytes', 'weights – MSE'], rows: [['INT8', '1', '2e-5']] });
  });
  it('does not repeat a spanning header cell', () => {
    expect(textTable([['a', 'b'], ['a', 'c']], 2).header).toEqual(['a', 'b – c']);
  });
  it('with no header row, has an empty header (keys become column N)', () => {
    const t = textTable([['1', '2']], 0);
    expect(t.header).toEqual(['', '']);
    expect(toRecords(t)).toEqual([{ 'column 1': '1', 'column 2': '2' }]);
  });
});
