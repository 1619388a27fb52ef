import { s3EventRecords } from '../../../../../processors/transfer/src/sqs/s3EventRecords';
import { s3EventBody, s3TestEventBody } from '../../../../helpers/ctrS3Events';

describe('s3EventRecords', () => {
  it('decodes keys: + is a space, %2B a plus, %3A a colon', () => {
    const body = s3EventBody('b', 'placeholder').replace(
      'placeholder',
      'connect/inst/Reports/Agent+Perf+2026-01-05T10%3A15%3A00Z%2B1.csv',
    );
    expect(s3EventRecords(body)).toEqual([
      { bucket: 'b', key: 'connect/inst/Reports/Agent Perf 2026-01-05T10:15:00Z+1.csv' },
    ]);
  });

  it('round-trips any key through the S3 encoding', () => {
    const key = 'a b/ü:é+x%y.csv';
    expect(s3EventRecords(s3EventBody('b', key))).toEqual([{ bucket: 'b', key }]);
  });

  it('returns nothing for s3:TestEvent and for events other than ObjectCreated', () => {
    expect(s3EventRecords(s3TestEventBody('b'))).toEqual([]);
    expect(s3EventRecords(s3EventBody('b', 'k', 'ObjectRemoved:Delete'))).toEqual([]);
  });

  it('unwraps an SNS envelope', () => {
    const body = JSON.stringify({ Type: 'Notification', Message: s3EventBody('b', 'k') });
    expect(s3EventRecords(body)).toEqual([{ bucket: 'b', key: 'k' }]);
  });

  it('rejects what is not an S3 event', () => {
    for (const body of [
      'not json',
      '{}',
      '{"Records":[{"eventSource":"aws:sns"}]}',
      '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{}}]}',
    ]) {
      expect(() => s3EventRecords(body)).toThrow(expect.objectContaining({ name: 'MalformedMessageError' }));
    }
  });
});
