/** The ingest lags (ms) seen since the last publication, summarised as p50, p99 and max. */
export class LagWindow {
  #samples: number[] = [];

  /** Keeps at most `capacity` samples per window (a uniform-enough thinning: every other one beyond it). */
  constructor(private readonly capacity = 4096) {}

  add(ms: number): void {
    if (this.#samples.length >= this.capacity) this.#samples = this.#samples.filter((_, i) => i % 2 === 0);
    this.#samples.push(ms);
  }

  /** The window's summary, then an empty window; undefined when nothing was seen. */
  take(): { p50: number; p99: number; max: number; count: number } | undefined {
    const samples = this.#samples;
    this.#samples = [];
    if (samples.length === 0) return undefined;
    samples.sort((a, b) => a - b);
    const at = (q: number): number =>
      samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
    return { p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1] as number, count: samples.length };
  }
}
