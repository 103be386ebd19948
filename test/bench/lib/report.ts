// One row per measurement: what was measured, the figure, the target and
// whether it was met. Rows with `error` set are failures of the run itself
// (non-2xx answers, a command that failed), not missed targets.

export interface BenchRow {
  section: "http" | "audit-write" | "audit-verify" | "pdf" | "startup" | "tendering" | "market" | "award";
  name: string;
  /** The headline figure, in `unit`. */
  value: number | null;
  unit: string;
  /** e.g. "≥ 40% of /ping req/s"; null when the row only informs. */
  target: string | null;
  /** null when there is no target. */
  pass: boolean | null;
  /** A problem that makes the row (and the bench command) fail. */
  error: string | null;
  /** Everything else measured for this row. */
  details: Record<string, unknown>;
  /** Short text for the table's "result" column. */
  result: string;
}

export function row(partial: Omit<BenchRow, "pass" | "error" | "target"> & Partial<Pick<BenchRow, "pass" | "error" | "target">>): BenchRow {
  return { target: null, pass: null, error: null, ...partial };
}

function pad(text: string, width: number, right = false): string {
  const len = [...text].length;
  if (len >= width) return text;
  return right ? " ".repeat(width - len) + text : text + " ".repeat(width - len);
}

export function table(headers: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, rightAligned.includes(i))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function verdict(r: BenchRow): string {
  if (r.error) return "ERROR";
  if (r.pass === null) return "-";
  return r.pass ? "PASS" : "FAIL";
}
