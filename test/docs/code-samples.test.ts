import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CodeSample, extractSamples, runnable, sampleFileName, samplePages } from './extract-samples.js';

// Every ```ts block of README.md and docs/*.md is type-checked against the BUILT package's entry points
// (`botcache`, `botcache/redis`, ... resolve through package.json "exports" to dist/, as in a user's
// project; npm test builds first), and run when it needs no server. A failure names the page and line.
// A sample declares what the reader supplies (`declare const api: ...`); `<!-- doc-test: no-run -->` on
// the line before a fence keeps a sample from running (it is still type-checked).
const root = new URL('../..', import.meta.url).pathname;
const scratch = join(root, '.tmp', 'doc-samples');
const run = promisify(execFile);

const samples: CodeSample[] = samplePages(root).flatMap((file) => extractSamples(root, file));
const where = (sample: CodeSample): string => `${sample.file}:${sample.line} (ts sample ${sample.index})`;

/** tsc's errors per scratch file, each turned into `page:line: message` of the markdown page. */
const errorsByFile = new Map<string, string[]>();

function toModule(code: string): string {
  // A sample without import/export would share one global scope with every other sample.
  return /^\s*(import|export)\s/m.test(code) ? code : `${code}\nexport {};\n`;
}

async function typeCheckAll(): Promise<void> {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const sample of samples) writeFileSync(join(scratch, sampleFileName(sample)), toModule(sample.code));
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2022',
        lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
        types: ['node'],
        skipLibCheck: true,
      },
      include: ['*.ts'],
    }),
  );
  let output = '';
  try {
    await run(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', scratch, '--pretty', 'false'],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const byName = new Map(samples.map((sample) => [sampleFileName(sample), sample]));
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const match = /^(?:.*[/\\])?([^/\\(]+\.ts)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (match) {
      const [, name = '', row = '0', column = '0', message = ''] = match;
      const sample = byName.get(name);
      const key = sample ? sampleFileName(sample) : '(outside the samples)';
      const place = sample ? `${sample.file}:${sample.line + Number(row) - 1}:${column}` : line;
      current = errorsByFile.get(key) ?? [];
      errorsByFile.set(key, current);
      current.push(`${place}: ${message}`);
    } else if (current && line.startsWith(' ')) {
      current.push(line); // continuation of the previous message
    } else if (line.trim() !== '') {
      current = errorsByFile.get('(outside the samples)') ?? [];
      errorsByFile.set('(outside the samples)', current);
      current.push(line);
    }
  }
}

describe('code samples in README.md and docs/*.md', () => {
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'index.d.ts')))
      throw new Error('dist/ is missing: the samples are checked against the built package (npm run build)');
    await typeCheckAll();
  }, 600_000);

  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it('type-checks without errors outside the samples (tsc itself, the config)', () => {
    expect(errorsByFile.get('(outside the samples)') ?? []).toEqual([]);
  });

  it.each(samples.map((sample) => [where(sample), sample] as const))('%s type-checks', (_, sample) => {
    expect(errorsByFile.get(sampleFileName(sample)) ?? [], `the sample at ${where(sample)}`).toEqual([]);
  });

  it.each(samples.filter(runnable).map((sample) => [where(sample), sample] as const))(
    '%s runs to completion',
    async (_, sample) => {
      try {
        await run(process.execPath, ['--import', 'tsx', join(scratch, sampleFileName(sample))], {
          cwd: root,
          timeout: 120_000,
        });
      } catch (error) {
        const failure = error as { stderr?: string; killed?: boolean };
        throw new Error(
          `the sample at ${where(sample)} ${failure.killed ? 'did not finish within 120 s (does it close what it opens?)' : 'failed'}:\n${failure.stderr ?? error}`,
        );
      }
    },
    150_000,
  );
});
