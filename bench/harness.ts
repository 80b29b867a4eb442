import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measured case: operations per second over a timed run, after a warm-up. */
export interface Measurement {
  readonly name: string;
  readonly opsPerSec: number;
}

/**
 * Runs `op` (sync or async) `iterations` times after a warm-up and returns ops/s.
 * Awaiting every call measures what a caller that awaits each answer sees.
 */
export async function measure(
  name: string,
  iterations: number,
  op: (i: number) => unknown,
  { warmup = Math.min(iterations, 20_000) } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await op(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await op(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, opsPerSec: iterations / seconds };
}

/** The same, for a synchronous operation measured without any await (the raw ceiling). */
export function measureSync(name: string, iterations: number, op: (i: number) => unknown): Measurement {
  let sink: unknown;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink = op(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = op(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === Symbol.for('never')) console.log(sink); // keeps the loop from being optimised away
  return { name, opsPerSec: iterations / seconds };
}

export function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k`;
  return ops.toFixed(0);
}

/** A markdown table of measurements with each one's ratio to the anchor. */
export function ratioTable(rows: readonly Measurement[], anchor: Measurement): string {
  const lines = [`| case | ops/s | ratio to ${anchor.name} |`, '|---|---:|---:|'];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${formatOps(row.opsPerSec)} | ${(row.opsPerSec / anchor.opsPerSec).toFixed(2)}x |`,
    );
  }
  return lines.join('\n');
}

/**
 * Where results go: bench/ for a full run (RESULTS.md, ratios.svg, results/ are committed), .tmp/bench-quick/
 * for `--quick`, so a short run never overwrites the committed full figures.
 */
export const outputDir = process.argv.includes('--quick')
  ? new URL('../.tmp/bench-quick/', import.meta.url).pathname
  : new URL('./', import.meta.url).pathname;

/** Writes one benchmark's section; bench/run.ts assembles every section into RESULTS.md. */
export function writeResults(name: string, markdown: string): void {
  const file = `${outputDir}results/${name}.md`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${markdown.trim()}\n`);
  console.log(markdown);
}

export function machineLine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}, measured ${new Date().toISOString().slice(0, 16)}Z`;
}

/** Keys drawn in a fixed pseudo-random order, so every case reads the same sequence. */
export function shuffledIndexes(count: number, length: number, seed = 42): Uint32Array {
  const out = new Uint32Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x % count;
  }
  return out;
}

/**
 * Replaces one benchmark's section of a shared results page (`results/<page>.md` under {@link outputDir},
 * so a quick run never touches the committed page), keeping the other sections.
 */
export function writeSection(page: string, name: string, markdown: string): void {
  const file = `${outputDir}results/${page}.md`;
  mkdirSync(dirname(file), { recursive: true });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {}
  const begin = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const section = `${begin}\n${markdown.trim()}\n${end}`;
  const at = text.indexOf(begin);
  const next =
    at >= 0
      ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length)
      : `${text.trim()}\n\n${section}\n`;
  writeFileSync(file, `${next.trim()}\n`);
  console.log(markdown);
}
