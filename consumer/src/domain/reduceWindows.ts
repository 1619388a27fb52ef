import { type Observable, type OperatorFunction, filter, mergeMap, reduce, window } from 'rxjs';
import { type Observation, StateWindow } from './StateWindow';

/**
 * Cuts the observation stream into windows (each `closing$` emission ends one) and reduces each window
 * incrementally to a StateWindow: memory holds one Map per open window, never the window's records.
 * Empty windows are dropped.
 */
export function reduceWindows(closing$: Observable<unknown>): OperatorFunction<Observation, StateWindow> {
  return (observation$) =>
    observation$.pipe(
      window(closing$),
      mergeMap((window$) => window$.pipe(reduce((acc, o) => acc.add(o), new StateWindow()))),
      filter((w) => !w.isEmpty),
    );
}
