/**
 * Which Cluster failures may be sent again. Each of these replies (or driver errors) says the command
 * was not run: a resend cannot apply it twice. A timeout or a dropped connection says nothing of the
 * kind (the command may have run), so those are never retried here.
 */
export type RetryKind =
  /** Keys of a multi-key command are split between two nodes while their slot moves (TRYAGAIN). */
  | 'wait'
  /** The slot map we routed by is out of date or its node is not serving: read it again, then resend. */
  | 'reroute';

const WAIT_REPLIES = ['TRYAGAIN'];
const REROUTE_REPLIES = ['CLUSTERDOWN', 'MOVED', 'ASK', 'LOADING', 'MASTERDOWN', 'READONLY'];
/** node-redis errors raised before a command reached the wire, or when it found no node to send to. */
const REROUTE_DRIVER_MESSAGES = [
  'The client is closed',
  'The client is offline',
  'Too many Cluster redirections',
  'Cannot find node',
];

export function retryKindOf(error: unknown): RetryKind | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message;
  if (WAIT_REPLIES.some((reply) => message.startsWith(reply))) return 'wait';
  if (REROUTE_REPLIES.some((reply) => message.startsWith(reply))) return 'reroute';
  if (REROUTE_DRIVER_MESSAGES.some((text) => message.startsWith(text))) return 'reroute';
  return undefined;
}

const FIRST_DELAY = 5;
const MAX_DELAY = 100;

/**
 * Sends again while the failure is one that left the command unrun and the deadline allows another
 * try. Backoff doubles from 5 ms to 100 ms: a failover's CLUSTERDOWN lasts about a second and a
 * slot move's TRYAGAIN a few batches of MIGRATE, so a command usually lands inside its timeout.
 * Resolves or rejects with the last attempt's outcome; never sends after the deadline.
 */
export async function resendUntil<T>(
  attempt: () => Promise<T>,
  firstError: unknown,
  deadline: number,
  onReroute: (error: unknown) => void,
): Promise<T> {
  let error = firstError;
  let delay = FIRST_DELAY;
  for (;;) {
    const kind = retryKindOf(error);
    if (kind === undefined || Date.now() + delay >= deadline) throw error;
    if (kind === 'reroute') onReroute(error);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(MAX_DELAY, delay * 2);
    try {
      return await attempt();
    } catch (next) {
      error = next;
    }
  }
}
