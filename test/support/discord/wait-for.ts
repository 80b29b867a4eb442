/** Polls until `predicate` returns something truthy (a gateway dispatch crossed a real socket). */
export function waitFor<T>(
  predicate: () => T | undefined | false,
  what: string,
  timeout = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      const value = predicate();
      if (value !== undefined && value !== false) {
        resolve(value);
      } else if (Date.now() - started > timeout) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setTimeout(tick, 5);
      }
    };
    tick();
  });
}
