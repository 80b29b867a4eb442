import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// These run against the built package (npm test builds first), through the package's own "exports".
const root = new URL('../..', import.meta.url).pathname;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('the built package (npm test builds it first)', () => {
  it('loads with require() (CommonJS)', () => {
    const out = node([
      '-e',
      "const b = require('botcache'); console.log(typeof b.MemoryStore, typeof b.CacheError)",
    ]);
    expect(out).toBe('function function');
  });

  it('loads with import (ESM) and works', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { MemoryStore } from 'botcache'; const s = new MemoryStore(); await s.set('a', 'b', { x: '1' }); console.log(JSON.stringify(await s.get('a', 'b')));",
    ]);
    expect(out).toBe('{"x":"1"}');
  });

  it('exposes the conformance suite as botcache/conformance', () => {
    // vitest itself is ESM-only, so the CommonJS build of the suite is only resolved, not run, outside a test runner.
    expect(
      node(['-e', "console.log(require.resolve('botcache/conformance').endsWith('conformance/index.cjs'))"]),
    ).toBe('true');
    expect(
      node([
        '--input-type=module',
        '-e',
        "import { storeConformance } from 'botcache/conformance'; console.log(typeof storeConformance)",
      ]),
    ).toBe('function');
  });
});
