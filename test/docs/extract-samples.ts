import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ```ts code block of a markdown page. */
export interface CodeSample {
  /** The page, relative to the repository root (`docs/redis.md`). */
  readonly file: string;
  /** The 1-based line of the block's first code line in the page. */
  readonly line: number;
  /** The n-th TypeScript block of its page, from 1. */
  readonly index: number;
  readonly code: string;
  /** `<!-- doc-test: no-run -->` on the line before the fence: type-checked, never run. */
  readonly noRun: boolean;
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const NO_RUN = /<!--\s*doc-test:\s*no-run\b/;

/** The markdown pages whose samples are checked: the README and every guide in docs/. */
export function samplePages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`);
  return ['README.md', ...docs];
}

export function extractSamples(root: string, file: string): CodeSample[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const samples: CodeSample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i]?.trim() ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    samples.push({
      file,
      line: start + 1,
      index: samples.length + 1,
      code: lines.slice(start, end).join('\n'),
      noRun: NO_RUN.test(lines[i - 1] ?? ''),
    });
    i = end;
  }
  return samples;
}

/** Entry points and packages a sample may use only with a server or a platform connection. */
const NEEDS_OUTSIDE_SERVICE = [
  'botcache/redis',
  'botcache/tiered',
  'discord.js',
  '@discordjs/',
  'mezon-sdk',
  'redis://',
  'rediss://',
];

/**
 * Whether running the sample is meaningful here: it needs no server or platform, and it declares no
 * value the reader supplies (`declare const api: ...` exists only for the type-checker).
 */
export function runnable(sample: CodeSample): boolean {
  if (sample.noRun) return false;
  if (/^\s*declare\s/m.test(sample.code)) return false;
  return !NEEDS_OUTSIDE_SERVICE.some((needle) => sample.code.includes(needle));
}

/** The sample's file name in the scratch folder, which also names it in a failure. */
export function sampleFileName(sample: CodeSample): string {
  return `${sample.file.replace(/[/.]/g, '_')}__${String(sample.index).padStart(2, '0')}.ts`;
}
