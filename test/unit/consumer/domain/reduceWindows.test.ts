import { Subject, interval, map, merge } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { reduceWindows } from '../../../../consumer/src/domain/reduceWindows';
import type { Observation, StateWindow } from '../../../../consumer/src/domain/StateWindow';

/** A state for `user` with `code`, from record `n` of shard s0. */
const obs = (user: string, code: string | undefined, n: number): Observation => ({
  sourceId: 's0',
  sequenceNumber: String(n),
  state:
    code === undefined
      ? undefined
      : {
          userCode: user,
          stateCode: code,
          loggedOut: false,
          agentArn: `arn/${user}`,
          eventTimeMillis: n,
          sourceId: 's0',
          sequenceNumber: String(n),
        },
});
const summary = (w: StateWindow) => ({
  states: Object.fromEntries([...w.states].map(([u, s]) => [u, s.stateCode])),
  seq: w.sequenceNumbers.get('s0'),
});

describe('reduceWindows (marble)', () => {
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('emits, at each window end, the latest state per agent and the highest sequence number', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const input = hot('a-b-c-d-e-|', {
        a: obs('ann', 'Available', 1),
        b: obs('bob', 'Available', 2),
        c: obs('ann', 'Break', 3),
        d: obs('ann', 'Lunch', 4),
        e: obs('bob', 'Break', 5),
      });
      const output = input.pipe(reduceWindows(interval(5)), map(summary));
      expectObservable(output).toBe('-----x----(y|)', {
        x: { states: { ann: 'Break', bob: 'Available' }, seq: '3' },
        y: { states: { ann: 'Lunch', bob: 'Break' }, seq: '5' },
      });
    });
  });

  it('drops empty windows: a quiet stream posts nothing', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const input = hot('a------------------b-|', { a: obs('ann', 'Available', 1), b: obs('ann', 'Break', 2) });
      expectObservable(input.pipe(reduceWindows(interval(5)), map(summary))).toBe('-----x' + '-'.repeat(14) + 'y|', {
        x: { states: { ann: 'Available' }, seq: '1' },
        y: { states: { ann: 'Break' }, seq: '2' },
      });
    });
  });

  it('keeps a window of records that produced no state, so their sequence numbers are still acknowledged', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const input = hot('a-b--|', { a: obs('x', undefined, 7), b: obs('y', undefined, 8) });
      expectObservable(input.pipe(reduceWindows(interval(10)), map(summary))).toBe('-----(x|)', {
        x: { states: {}, seq: '8' },
      });
    });
  });

  it('closes a window early on a flush signal', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const flush$ = new Subject<void>();
      const input = hot('a-b---|', { a: obs('ann', 'Available', 1), b: obs('ann', 'Break', 2) });
      const flushAt = hot('-f----', { f: undefined });
      flushAt.subscribe(() => flush$.next());
      expectObservable(input.pipe(reduceWindows(merge(interval(100), flush$)), map(summary))).toBe('-x----(y|)', {
        x: { states: { ann: 'Available' }, seq: '1' },
        y: { states: { ann: 'Break' }, seq: '2' },
      });
    });
  });
});
