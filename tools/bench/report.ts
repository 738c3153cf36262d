/** One figure of the bench: the samples of its repeats, their median and spread, and its goal when it has one. */
export interface Figure {
  section: string;
  name: string;
  unit: string;
  samples: number[];
  median: number;
  min: number;
  max: number;
  goal: Goal | null;
  /** null when the figure has no goal. */
  met: boolean | null;
  note?: string;
}

export interface Goal {
  /** "at most" or "at least" this value, in the figure's unit. */
  atMost?: number;
  atLeast?: number;
  /** Goals that are not a bound on the number itself (e.g. "constant in depth"), said in words. */
  text: string;
}

/** A section that did not run (not asked for, or not available yet), with the reason. */
export interface Skipped {
  section: string;
  reason: string;
}

export interface BenchResult {
  startedAt: string;
  quick: boolean;
  durationS: number;
  machine: { cpus: number; node: string; clockTicks: number };
  sections: string[];
  figures: Figure[];
  skipped: Skipped[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function figure(section: string, name: string, unit: string, samples: number[], goal: Goal | null = null, note?: string): Figure {
  const m = median(samples);
  let met: boolean | null = null;
  if (goal?.atMost !== undefined) met = m <= goal.atMost;
  if (goal?.atLeast !== undefined) met = m >= goal.atLeast;
  return {
    section,
    name,
    unit,
    samples,
    median: m,
    min: Math.min(...samples),
    max: Math.max(...samples),
    goal,
    met,
    ...(note ? { note } : {}),
  };
}

export type Growth = 'constant' | 'logarithmic' | 'linear' | 'worse than linear';

/**
 * How a cost grows with depth, from its medians at three depths (0 < small < large, large = 10 × small):
 * constant when both cost about what depth 0 costs (within 50 % or 2 units), linear when the step from
 * small to large grows with the depth step (at least half as fast), worse than linear when much faster,
 * logarithmic otherwise.
 */
export function growth(points: { depth: number; value: number }[]): Growth {
  const [zero, small, large] = [...points].sort((a, b) => a.depth - b.depth);
  if (!zero || !small || !large) return 'constant';
  const floor = Math.max(Math.abs(zero.value), 1);
  const slope = (large.value - small.value) / Math.max(small.value - zero.value, floor * 0.1, 1e-9);
  const depthRatio = (large.depth - small.depth) / Math.max(small.depth - zero.depth, 1);
  if (large.value <= Math.max(1.5 * floor, floor + 2) && small.value <= Math.max(1.5 * floor, floor + 2)) return 'constant';
  if (slope >= depthRatio * 1.6) return 'worse than linear';
  if (slope >= depthRatio * 0.5) return 'linear';
  return 'logarithmic';
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** The table, one line a figure: median, min–max, unit, goal and whether it is met. */
export function table(result: BenchResult): string {
  const rows = result.figures.map((f) => [
    f.section,
    f.name,
    `${format(f.median)} ${f.unit}`,
    `${format(f.min)}–${format(f.max)}`,
    f.goal?.text ?? '',
    f.met === null ? '' : f.met ? 'met' : 'NOT MET',
    f.note ?? '',
  ]);
  const header = ['section', 'figure', 'median', 'min–max', 'goal', 'met?', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  for (const s of result.skipped) lines.push(`(${s.section}: ${s.reason})`);
  return lines.join('\n');
}
