/**
 * Reads the benchmark sections back out of bench/RESULTS.md (the markdown each *.bench.ts writes
 * with bench/harness.ts): tables of cases with ops/s and ratio, and the bold headline ratios.
 */

export interface BenchRow {
  readonly case: string;
  /** As printed, e.g. `925.8 k`. */
  readonly opsPerSec: string;
  readonly ratio: number;
}

export interface BenchTable {
  /** The `###` heading above the table, or the section's when there is none. */
  readonly title: string;
  /** What the ratios are measured against (the table's ratio column header). */
  readonly anchor: string;
  readonly rows: readonly BenchRow[];
}

/** A bold ratio in a bullet, e.g. "MemoryStore get vs lru-cache awaited: **0.80x** (goal >= 0.8x)". */
export interface Headline {
  readonly section: string;
  readonly label: string;
  readonly ratio: number;
  readonly goal: number | undefined;
}

export interface BenchSection {
  readonly title: string;
  readonly tables: readonly BenchTable[];
  readonly headlines: readonly Headline[];
}

export function parseBenchResults(markdown: string): BenchSection[] {
  const sections: BenchSection[] = [];
  const chunks = markdown.split(/^## /m).slice(1);
  for (const chunk of chunks) {
    const lines = chunk.split('\n');
    const title = (lines[0] ?? '').trim();
    sections.push({ title, tables: parseTables(lines, title), headlines: parseHeadlines(lines, title) });
  }
  return sections;
}

function parseTables(lines: readonly string[], sectionTitle: string): BenchTable[] {
  const tables: BenchTable[] = [];
  let heading = sectionTitle;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('### ')) heading = line.slice(4).trim();
    const header = cells(line);
    const ratioColumn = header.findIndex((cell) => /^ratio/i.test(cell));
    if (ratioColumn < 0 || !/^\|[-:| ]+\|$/.test((lines[i + 1] ?? '').trim())) continue;
    const rows: BenchRow[] = [];
    let j = i + 2;
    for (; j < lines.length && (lines[j] as string).trim().startsWith('|'); j++) {
      const row = cells(lines[j] as string);
      const ratio = Number.parseFloat((row[ratioColumn] ?? '').replace(/x$/, ''));
      if (Number.isFinite(ratio)) rows.push({ case: row[0] ?? '', opsPerSec: row[1] ?? '', ratio });
    }
    tables.push({
      title: heading,
      anchor: (header[ratioColumn] as string).replace(/^ratio (to )?/i, ''),
      rows,
    });
    i = j - 1;
  }
  return tables;
}

function parseHeadlines(lines: readonly string[], section: string): Headline[] {
  // A bullet is "- text" plus its indented continuation lines.
  const bullets: string[] = [];
  for (const line of lines) {
    if (/^- /.test(line)) bullets.push(line.slice(2));
    else if (/^\s+\S/.test(line) && bullets.length > 0) bullets[bullets.length - 1] += ` ${line.trim()}`;
    else if (line.trim() === '' || line.startsWith('#') || line.startsWith('|')) bullets.push('');
  }
  const out: Headline[] = [];
  for (const bullet of bullets) {
    const match = /^(.*?)\*\*([\d.]+)x\*\*(.*)$/.exec(bullet);
    if (!match) continue;
    const label = (match[1] as string)
      .replace(/`/g, '')
      .replace(/[:\s]+$/, '')
      .trim();
    const goal = /\(goal >= ([\d.]+)x\)/.exec(match[3] as string)?.[1];
    out.push({
      section,
      label,
      ratio: Number(match[2]),
      goal: goal === undefined ? undefined : Number(goal),
    });
  }
  return out;
}

function cells(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return [];
  return trimmed
    .slice(1, trimmed.endsWith('|') ? -1 : undefined)
    .split('|')
    .map((cell) => cell.trim());
}

/** The ratios worth a chart: each section's headlines, or its table rows when it has none. */
export function mainRatios(sections: readonly BenchSection[]): Headline[] {
  return sections.flatMap((section) =>
    section.headlines.length > 0
      ? section.headlines
      : section.tables.flatMap((table) =>
          table.rows
            .filter((row) => row.case !== table.anchor)
            .map((row) => ({
              section: section.title,
              label: `${row.case} vs ${table.anchor}`,
              ratio: row.ratio,
              goal: undefined,
            })),
        ),
  );
}

/** A section's subject: "SqliteStore vs better-sqlite3 (20,000 users)" -> "SqliteStore", "Resources: …" -> "Resources". */
export function shortSection(title: string): string {
  return title.split(/ vs |:| \(/)[0] ?? title;
}
