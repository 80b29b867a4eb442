/** setTimeout's longest delay: anything above fires after 1 ms in Node, so longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` after `ms` milliseconds, for any `ms` up to `Infinity` (which never fires). Returns a
 * function that cancels the timer. The timer does not keep the process alive on its own when `unref`.
 */
export function startTimeout(ms: number, fire: () => void, unref = false): () => void {
  if (ms === Number.POSITIVE_INFINITY) return () => {};
  const deadline = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = (left: number): void => {
    timer = setTimeout(
      () => {
        const rest = deadline - Date.now();
        if (rest > 0 && left > MAX_TIMER_MS) arm(rest);
        else fire();
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
    if (unref) timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}
