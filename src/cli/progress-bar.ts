/**
 * A progress bar on stderr (so `--json` output on stdout stays parseable). On a terminal it redraws
 * one line; elsewhere (CI logs, pipes) it prints a plain line every quarter, which logs keep readable.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #started = performance.now();
  #lastDraw = 0;
  #lastQuarter = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
  }

  update(done: number): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    if (this.#tty) {
      const now = performance.now();
      // Redrawing at most every 50 ms keeps the terminal from becoming the bottleneck.
      if (now - this.#lastDraw < 50 && ratio < 1) return;
      this.#lastDraw = now;
      const width = 30;
      const filled = Math.round(ratio * width);
      const rate = done / Math.max((now - this.#started) / 1000, 1e-3);
      this.#stream.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${done}/${this.total} events  ${Math.round(rate)} ev/s `,
      );
      return;
    }
    const quarter = Math.floor(ratio * 4);
    if (quarter > this.#lastQuarter) {
      this.#lastQuarter = quarter;
      this.#stream.write(`${this.label}: ${quarter * 25}% (${done}/${this.total} events)\n`);
    }
  }

  finish(): void {
    this.update(this.total);
    if (this.#tty) this.#stream.write('\n');
  }
}
