import { emfLines } from '../../../../common/observability/emf';
import { toTransferError } from '../../../../processors/transfer/src/errors';
import { MetricsRegistry } from '../../../../common/observability/metrics';

describe('toTransferError', () => {
  it('treats throttling, 5xx and network failures as retryable and the rest as not', () => {
    const sdk = (name: string, status?: number) =>
      Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } });
    expect(toTransferError(sdk('SlowDown', 503), 'op').retryable).toBe(true);
    expect(toTransferError(sdk('ThrottlingException', 400), 'op').retryable).toBe(true);
    expect(
      toTransferError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'op').retryable,
    ).toBe(true);
    expect(toTransferError(sdk('NoSuchKey', 404), 'op').retryable).toBe(false);
    expect(toTransferError(sdk('AccessDenied', 403), 'op')).toMatchObject({
      retryable: false,
      message: 'op: AccessDenied: x',
    });
  });
});

describe("the Lambda's metrics (emfLines)", () => {
  it('writes one embedded-metric-format line per invocation with every counter summed', () => {
    const m = new MetricsRegistry();
    m.count('ObjectsTransferred');
    m.count('ObjectsTransferred');
    m.count('CtrRecordsQuarantined', 3);
    const lines = emfLines(m, { FunctionName: 'fn' }, 0);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ FunctionName: 'fn', ObjectsTransferred: 2, CtrRecordsQuarantined: 3 });
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'ConnectWfm', Dimensions: [['FunctionName']] });
    expect(emfLines(new MetricsRegistry(), { FunctionName: 'fn' })).toEqual([]);
  });
});
