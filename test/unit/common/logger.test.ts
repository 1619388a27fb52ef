import { createLogger } from '../../../common/logging/logger';

describe('createLogger', () => {
  it('writes one JSON line per entry and redacts secret-looking fields at any depth', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ sink: (l) => lines.push(l), level: 'debug' });

    // Act
    logger.info('posted', { AuthenticationKey: 'k-123', nested: { password: 'pw', host: 'h' }, count: 2 });

    // Assess
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', msg: 'posted', count: 2, nested: { host: 'h' } });
    expect(lines[0]).not.toContain('k-123');
    expect(lines[0]).not.toContain('pw');
  });

  it('drops entries below the configured level', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (l) => lines.push(l), level: 'warn' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
