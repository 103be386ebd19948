// A bar chart drawn on the server as SVG: no script, no canvas. It scales to
// its box (a fixed viewBox, width 100%), so it reflows on a phone and at 200%
// zoom. It is a picture for sighted readers: the same figures are always in
// a table next to it, which the chart points to with aria-describedby.
import { useId } from "react";

export interface Bar {
  label: string;
  /** Shorter label drawn under the bar, when there is room. */
  shortLabel: string;
  /** null draws no bar (nothing to measure in that period). */
  value: number | null;
  /** Shown when hovering on a computer; the table has the same figure. */
  title: string;
}

export function BarChart({
  title,
  bars,
  max,
  unit,
  target,
  tableId,
}: {
  title: string;
  bars: Bar[];
  max: number;
  unit: string;
  /** A horizontal line, e.g. the utilisation target. */
  target?: { value: number; label: string };
  /** The id of the table with the same figures. */
  tableId: string;
}) {
  const id = useId();
  // Small units, so the labels stay readable when a phone shrinks the chart.
  const width = 480;
  const height = 260;
  const left = 44;
  const right = 8;
  const top = 22;
  const bottom = 30;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const slot = plotWidth / Math.max(bars.length, 1);
  const barWidth = Math.max(1, slot * 0.7);
  const y = (v: number) => top + plotHeight - (Math.min(Math.max(v, 0), max) / max) * plotHeight;
  // Label every bar when they fit, or every nth so labels never overlap (about 48 units each).
  const every = Math.max(1, Math.ceil(48 / slot));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  return (
    <figure className="portal-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={tableId}
        preserveAspectRatio="xMidYMid meet"
        className="portal-chart__svg"
      >
        <title id={`${id}-title`}>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} className="portal-chart__grid" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="portal-chart__axis">
              {t}
              {unit}
            </text>
          </g>
        ))}
        {bars.map((bar, i) =>
          bar.value === null ? null : (
            <rect
              key={bar.label}
              x={left + i * slot + (slot - barWidth) / 2}
              y={y(bar.value)}
              width={barWidth}
              height={Math.max(0, top + plotHeight - y(bar.value))}
              className={target && bar.value < target.value ? "portal-chart__bar portal-chart__bar--below" : "portal-chart__bar"}
            >
              <title>{bar.title}</title>
            </rect>
          ),
        )}
        {bars.map((bar, i) =>
          i % every === 0 ? (
            <text key={bar.label} x={left + i * slot + slot / 2} y={height - bottom + 17} textAnchor="middle" className="portal-chart__axis">
              {bar.shortLabel}
            </text>
          ) : null,
        )}
        {target ? (
          <g>
            <line x1={left} x2={width - right} y1={y(target.value)} y2={y(target.value)} className="portal-chart__target" />
            <text x={width - right} y={y(target.value) - 6} textAnchor="end" className="portal-chart__target-label">
              {target.label}
            </text>
          </g>
        ) : null}
      </svg>
      <figcaption className="govuk-body-s">{title}. The figures are in the table below.</figcaption>
    </figure>
  );
}
