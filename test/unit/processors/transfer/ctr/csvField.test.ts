import { csvField } from '../../../../../processors/transfer/src/ctr/csvField';
import { arnId } from '../../../../../processors/transfer/src/ctr/csvLayout';

describe('csvField (RFC 4180)', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    ['', ''],
    ['plain', 'plain'],
    [' padded ', ' padded '],
    [0, '0'],
    [239, '239'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\ronly', '"cr\ronly"'],
    ['+18003335555', '+18003335555'],
  ])('%j -> %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('arnId', () => {
  it('keeps the id after the last slash and leaves null alone', () => {
    expect(arnId('arn:aws:connect:us-east-1:1:instance/i/queue/q-1')).toBe('q-1');
    expect(arnId('no-slash')).toBe('no-slash');
    expect(arnId(null)).toBeNull();
  });
});
