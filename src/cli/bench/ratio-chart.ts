import { type Headline, shortSection } from './bench-results.js';

const WIDTH = 960;
const LABEL_WIDTH = 500;
const ROW = 30;
const TOP = 56;

const GRID = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * A horizontal bar chart of ratios as a standalone SVG (no dependency, viewable in any browser and
 * on GitHub). The axis is logarithmic and bars start at 1.0x, so 0.5x and 2x are the same length
 * either side of parity and a 100x ratio does not flatten the others. A black tick marks a goal.
 */
export function renderRatioChart(ratios: readonly Headline[], title: string): string {
  const values = ratios
    .flatMap((r) => (r.goal === undefined ? [r.ratio] : [r.ratio, r.goal]))
    .filter((v) => v > 0);
  const low = Math.log10(Math.min(0.5, ...values) / 1.3);
  const high = Math.log10(Math.max(2, ...values) * 1.3);
  const plot = WIDTH - LABEL_WIDTH - 70;
  const x = (ratio: number): number =>
    LABEL_WIDTH + ((Math.log10(Math.max(ratio, 10 ** low)) - low) / (high - low)) * plot;
  const bottom = TOP + ratios.length * ROW;
  const height = bottom + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="17" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="16" y="46" fill="#555">ratio to the anchor measured in the same run (log scale, bars start at 1.0x); black tick = goal, red = below goal</text>`,
  ];
  for (const tick of GRID.filter((g) => Math.log10(g) >= low && Math.log10(g) <= high)) {
    const gx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${gx}" x2="${gx}" y1="${TOP}" y2="${bottom}" stroke="${tick === 1 ? '#444' : '#e2e2e2'}"${tick === 1 ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${gx}" y="${bottom + 18}" text-anchor="middle" fill="#444">${tick}x</text>`,
    );
  }
  ratios.forEach((r, i) => {
    const y = TOP + i * ROW;
    const label = `${shortSection(r.section)}: ${r.label}`;
    const meetsGoal = r.goal === undefined || r.ratio >= r.goal;
    const from = Math.min(x(1), x(r.ratio));
    const to = Math.max(x(1), x(r.ratio));
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 19}" text-anchor="end">${escapeXml(truncate(label, 72))}</text>`,
      `<rect x="${from.toFixed(1)}" y="${y + 6}" width="${Math.max(1, to - from).toFixed(1)}" height="18" fill="${meetsGoal ? '#2f7ed8' : '#d9534f'}"/>`,
      `<text x="${(to + 6).toFixed(1)}" y="${y + 19}">${r.ratio.toFixed(2)}x</text>`,
    );
    if (r.goal !== undefined)
      parts.push(
        `<line x1="${x(r.goal).toFixed(1)}" x2="${x(r.goal).toFixed(1)}" y1="${y + 3}" y2="${y + 27}" stroke="#000" stroke-width="2"/>`,
      );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
