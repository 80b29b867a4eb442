import type { Headline } from './bench-results.js';

const WIDTH = 960;
const LABEL_WIDTH = 520;
const ROW = 30;
const TOP = 56;

/**
 * A horizontal bar chart of ratios as a standalone SVG (no dependency, viewable in any browser and
 * on GitHub): one bar per ratio, a dashed line at 1.0x (parity with the anchor), a tick per goal.
 */
export function renderRatioChart(ratios: readonly Headline[], title: string): string {
  const max = Math.max(1.2, ...ratios.map((r) => Math.max(r.ratio, r.goal ?? 0) * 1.1));
  const plot = WIDTH - LABEL_WIDTH - 70;
  const x = (ratio: number): number => LABEL_WIDTH + (ratio / max) * plot;
  const height = TOP + ratios.length * ROW + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="17" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="16" y="46" fill="#555">ratio to the anchor measured in the same run; dashed line = 1.0x, black tick = goal</text>`,
  ];
  ratios.forEach((r, i) => {
    const y = TOP + i * ROW;
    const label = `${shortSection(r.section)}: ${r.label}`;
    const meetsGoal = r.goal === undefined || r.ratio >= r.goal;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 19}" text-anchor="end">${escapeXml(truncate(label, 78))}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 6}" width="${(x(r.ratio) - LABEL_WIDTH).toFixed(1)}" height="18" fill="${meetsGoal ? '#2f7ed8' : '#d9534f'}"/>`,
      `<text x="${(x(r.ratio) + 6).toFixed(1)}" y="${y + 19}">${r.ratio.toFixed(2)}x</text>`,
    );
    if (r.goal !== undefined)
      parts.push(
        `<line x1="${x(r.goal).toFixed(1)}" x2="${x(r.goal).toFixed(1)}" y1="${y + 3}" y2="${y + 27}" stroke="#000" stroke-width="2"/>`,
      );
  });
  const parity = x(1).toFixed(1);
  parts.push(
    `<line x1="${parity}" x2="${parity}" y1="${TOP}" y2="${TOP + ratios.length * ROW}" stroke="#444" stroke-dasharray="4 3"/>`,
    `<text x="${parity}" y="${TOP + ratios.length * ROW + 18}" text-anchor="middle" fill="#444">1.0x</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function shortSection(title: string): string {
  return title.replace(/\s*\(.*$/, '');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
