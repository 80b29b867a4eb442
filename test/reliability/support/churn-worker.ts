/**
 * One writer process of the concurrency test: `node --import tsx churn-worker.ts <redisUrl> <prefix> <seed> <ops>`.
 * Runs the guild churn with a few operations in flight, then prints one JSON line of counts.
 */
import { createCache } from '../../../src/resources/create-cache.js';
import { RedisStore } from '../../../src/store/redis/index.js';
import { churnStep, DEFAULT_SHAPE, prng } from './guild-churn.js';

const [url, prefix, seedText, opsText] = process.argv.slice(2);
const seed = Number(seedText);
const total = Number(opsText);
const store = new RedisStore({ url, prefix });
const cache = createCache({ store });
const random = prng(seed);
let done = 0;
let errors = 0;
const firstErrors: string[] = [];

async function lane(): Promise<void> {
  while (done < total) {
    done++;
    try {
      await churnStep(cache, random, DEFAULT_SHAPE, `w${seed}-${done}`);
    } catch (error) {
      errors++;
      if (firstErrors.length < 5) firstErrors.push(String(error));
    }
  }
}

await Promise.all([lane(), lane(), lane(), lane()]);
await store.close();
process.stdout.write(`${JSON.stringify({ seed, done, errors, firstErrors })}\n`);
