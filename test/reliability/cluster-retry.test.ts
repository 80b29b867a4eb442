/**
 * Which Cluster failures are sent again (only those that say the command did not run) and that a
 * resend never goes past the command's deadline.
 */
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors/index.js';
import { resendUntil, retryKindOf } from '../../src/store/redis/cluster-retry.js';

describe('Cluster resends', () => {
  it('resends replies that say the command did not run, and nothing else', () => {
    expect(retryKindOf(new Error('TRYAGAIN Multiple keys request during rehashing of slot'))).toBe('wait');
    expect(retryKindOf(new Error('CLUSTERDOWN The cluster is down'))).toBe('reroute');
    expect(retryKindOf(new Error('CLUSTERDOWN Hash slot not served'))).toBe('reroute');
    expect(retryKindOf(new Error('MOVED 3999 127.0.0.1:6381'))).toBe('reroute');
    expect(retryKindOf(new Error('LOADING Redis is loading the dataset in memory'))).toBe('reroute');
    expect(retryKindOf(new Error('The client is offline'))).toBe('reroute');
    expect(retryKindOf(new Error("READONLY You can't write against a read only replica."))).toBe('reroute');
    // The outcome of these is unknown: the command may have run.
    expect(retryKindOf(new Error('Socket closed unexpectedly'))).toBeUndefined();
    expect(retryKindOf(new BackendError('redis GET timed out after 500 ms'))).toBeUndefined();
    expect(retryKindOf(new Error('Disconnects client'))).toBeUndefined();
    expect(retryKindOf(new Error('ERR wrong number of arguments'))).toBeUndefined();
    expect(retryKindOf('TRYAGAIN')).toBeUndefined();
  });

  it('resends until the command runs, rerouting after CLUSTERDOWN', async () => {
    const replies = [new Error('TRYAGAIN x'), new Error('CLUSTERDOWN The cluster is down')];
    let reroutes = 0;
    let attempts = 0;
    const value = await resendUntil(
      async () => {
        attempts++;
        const next = replies.shift();
        if (next) throw next;
        return 'OK';
      },
      new Error('TRYAGAIN first'),
      Date.now() + 1000,
      () => reroutes++,
    );
    expect(value).toBe('OK');
    expect(attempts).toBe(3);
    expect(reroutes).toBe(1);
  });

  it('gives up with the last error before the deadline, and never resends after it', async () => {
    let attempts = 0;
    const started = Date.now();
    const outcome = resendUntil(
      async () => {
        attempts++;
        throw new Error(`TRYAGAIN attempt ${attempts}`);
      },
      new Error('TRYAGAIN first'),
      started + 300,
      () => {},
    );
    await expect(outcome).rejects.toThrow(/^TRYAGAIN attempt \d+$/);
    const elapsed = Date.now() - started;
    const attemptsAtEnd = attempts;
    expect(elapsed).toBeLessThan(1000);
    expect(attempts).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(attemptsAtEnd);
  });

  it('does not resend a failure of unknown outcome', async () => {
    let attempts = 0;
    await expect(
      resendUntil(
        async () => {
          attempts++;
          return 'OK';
        },
        new Error('Socket closed unexpectedly'),
        Date.now() + 1000,
        () => {},
      ),
    ).rejects.toThrow('Socket closed unexpectedly');
    expect(attempts).toBe(0);
  });
});
