/**
 * A mistake of the person at the keyboard (unknown flag, bad number, unreachable server): the CLI
 * prints its message on one line and exits with code 2, never with a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
