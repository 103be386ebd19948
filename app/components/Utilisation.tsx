// The parts the block bed pages share: the figures as a chart with the same
// figures in a table, tonight's voids, and the banner for contracts below
// their utilisation target.
import { Link } from "@remix-run/react";
import { useId } from "react";
import { BarChart } from "#app/components/BarChart";
import { DateInput, NotificationBanner, PrerenderedTable, Table, TextInput } from "#app/components/govuk";
import type { DatePart, TypedDate } from "#app/modules/common/date-input";
import type { CurrentVoid, Granularity, UtilisationRow } from "#app/modules/utilisation/utilisation";
import { pounds, ukDate } from "#app/web/format";
import { pageMarkup } from "#app/web/page-markup";

const monthLong = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" });
const monthShort = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "short", year: "2-digit" });
const dayShort = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" });

export function periodLabel(start: string, by: Granularity): { long: string; short: string } {
  const date = new Date(`${start}T00:00:00Z`);
  return by === "month" ? { long: monthLong.format(date), short: monthShort.format(date) } : { long: `Week of ${ukDate(start)}`, short: dayShort.format(date) };
}

export function percent(value: number | null): string {
  return value === null ? "No nights" : `${value.toFixed(1)}%`;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-GB")} ${word}${n === 1 ? "" : "s"}`;

/** The columns of the figures' table, as text: drawn by React, or written as HTML once for a kept page (`tableRowsHtml`, utilisation.server.ts). */
export function periodColumns(by: Granularity): { header: string; numeric?: boolean; text: (r: UtilisationRow) => string }[] {
  return [
    { header: by === "month" ? "Month" : "Week", text: (r) => periodLabel(r.periodStart!, by).long },
    { header: "Contracted nights", numeric: true, text: (r) => r.contractedNights.toLocaleString("en-GB") },
    { header: "Occupied", numeric: true, text: (r) => r.occupiedNights.toLocaleString("en-GB") },
    { header: "Void", numeric: true, text: (r) => r.voidNights.toLocaleString("en-GB") },
    { header: "Unavailable", numeric: true, text: (r) => r.unavailableNights.toLocaleString("en-GB") },
    { header: "Utilisation", numeric: true, text: (r) => percent(r.utilisationPercent) },
    { header: "Void cost", numeric: true, text: (r) => pounds(r.voidCostPence) },
  ];
}

/** The columns of the table of tonight's empty beds, as text (as periodColumns). */
export function voidColumns(showContract: boolean): { header: string; numeric?: boolean; text: (v: CurrentVoid) => string }[] {
  return [
    ...(showContract ? [{ header: "Contract", text: (v: CurrentVoid) => v.contractReference }] : []),
    { header: "Bed", text: (v) => `${v.homeName}, ${v.bedLabel}` },
    { header: "Empty since the night of", text: (v) => ukDate(v.voidSince) },
    { header: "Nights empty", numeric: true, text: (v) => String(v.voidNightsSoFar) },
    { header: "Cost so far", numeric: true, text: (v) => pounds(v.voidNightsSoFar * v.nightlyPricePence) },
    { header: "Next booked", text: (v) => (v.nextRecordFrom ? ukDate(v.nextRecordFrom) : "Nothing booked") },
  ];
}

/** Rows a loader wrote as HTML (decision 019), and how many: held back from the browser's copy of the data on a whole page (decision 026). */
export interface WrittenRows {
  count: number;
  rowsHtml: string | { readonly markup?: string };
}

/** By week / by month, as links that keep the rest of the address. */
function GranularityLinks({ by, hrefFor }: { by: Granularity; hrefFor: (by: Granularity) => string }) {
  return (
    <p className="govuk-body">
      Show figures:{" "}
      {(["month", "week"] as const).map((option, i) => (
        <span key={option}>
          {i > 0 ? " | " : null}
          {option === by ? (
            <strong>by {option}</strong>
          ) : (
            <Link className="govuk-link" to={hrefFor(option)}>
              by {option}
            </Link>
          )}
        </span>
      ))}
    </p>
  );
}

/**
 * One contract's figures (or every contract's together, contractId null):
 * totals, a chart of utilisation per week or month against the target, and
 * the same figures in a table.
 */
export function UtilisationFigures({
  rows,
  contractId,
  by,
  target,
  hrefFor,
  csvHref,
  heading,
  written,
}: {
  /** The figures' table rows as written by the loader, for a long kept page; drawn by React without. */
  written?: WrittenRows;
  rows: UtilisationRow[];
  contractId: string | null;
  by: Granularity;
  target: number | null;
  hrefFor: (by: Granularity) => string;
  csvHref: string;
  heading: string;
}) {
  const tableId = useId();
  const mine = rows.filter((r) => r.contractId === contractId);
  const periods = mine.filter((r) => r.periodStart !== null);
  const total = mine.find((r) => r.periodStart === null);
  return (
    <section aria-labelledby={`${tableId}-heading`}>
      <h2 className="govuk-heading-m" id={`${tableId}-heading`}>
        {heading}
      </h2>
      {total ? (
        <p className="govuk-body">
          {percent(total.utilisationPercent)} of {plural(total.contractedNights, "contracted night")} were occupied;{" "}
          {plural(total.voidNights, "night")} were void, costing {pounds(total.voidCostPence)}, and {plural(total.unavailableNights, "night")} the provider could
          not offer were not charged.
        </p>
      ) : (
        <p className="govuk-body">No contracted nights have passed yet.</p>
      )}
      <GranularityLinks by={by} hrefFor={hrefFor} />
      {periods.length > 0 ? (
        <>
          <BarChart
            title={`Utilisation by ${by}${target !== null ? `, against the ${target}% target` : ""}`}
            unit="%"
            max={100}
            tableId={tableId}
            target={target !== null ? { value: target, label: `Target ${target}%` } : undefined}
            bars={periods.map((r) => {
              const label = periodLabel(r.periodStart!, by);
              return { label: label.long, shortLabel: label.short, value: r.utilisationPercent, title: `${label.long}: ${percent(r.utilisationPercent)}` };
            })}
          />
          <div id={tableId}>
            {written ? (
              <div id={PERIOD_ROWS}>
                <PrerenderedTable caption={`Nights by ${by}`} headers={periodColumns(by)} rowsHtml={pageMarkup(written.rowsHtml, `#${PERIOD_ROWS} tbody`)} />
              </div>
            ) : (
              <Table caption={`Nights by ${by}`} rows={periods} rowKey={(r) => r.periodStart!} columns={periodColumns(by).map((c) => ({ header: c.header, numeric: c.numeric, cell: c.text }))} />
            )}
          </div>
        </>
      ) : null}
      <p className="govuk-body">
        <a className="govuk-link" href={csvHref} download>
          Download these figures (CSV)
        </a>
      </p>
    </section>
  );
}

const PERIOD_ROWS = "utilisation-period-rows";
const VOID_ROWS = "current-void-rows";

/** Tonight's empty beds: drawn by React from `voids`, or the rows the loader wrote (`written`). */
export function CurrentVoids({ voids, showContract, written }: { voids?: CurrentVoid[]; showContract: boolean; written?: WrittenRows }) {
  const count = written ? written.count : (voids ?? []).length;
  if (count === 0) {
    return (
      <>
        <h2 className="govuk-heading-m">Empty beds tonight</h2>
        <p className="govuk-body">No contracted bed is empty tonight.</p>
      </>
    );
  }
  const caption = `Empty beds tonight: ${count}`;
  return written ? (
    <div id={VOID_ROWS}>
      <PrerenderedTable caption={caption} headers={voidColumns(showContract)} rowsHtml={pageMarkup(written.rowsHtml, `#${VOID_ROWS} tbody`)} />
    </div>
  ) : (
    <Table caption={caption} rows={voids ?? []} rowKey={(v) => v.bedId} columns={voidColumns(showContract).map((c) => ({ header: c.header, numeric: c.numeric, cell: c.text }))} />
  );
}

export interface AlertView {
  contractId: string;
  contractReference: string;
  utilisationPercent: number;
  targetPercent: number;
  window: { from: string; to: string };
}

export function UtilisationAlerts({ alerts, linkContracts }: { alerts: AlertView[]; linkContracts: boolean }) {
  if (alerts.length === 0) return null;
  return (
    <NotificationBanner
      title={alerts.length === 1 ? "A block contract is below its utilisation target" : `${alerts.length} block contracts are below their utilisation target`}
      body={
        <ul className="govuk-list">
          {alerts.map((a) => (
            <li key={a.contractId}>
              {linkContracts ? (
                <Link className="govuk-notification-banner__link" to={`/utilisation/${a.contractId}`}>
                  {a.contractReference}
                </Link>
              ) : (
                a.contractReference
              )}
              : {percent(a.utilisationPercent)} of nights occupied from {ukDate(a.window.from)} to {ukDate(a.window.to)}, against a target of {a.targetPercent}%.
            </li>
          ))}
        </ul>
      }
    />
  );
}

export function ChildReferenceInput({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <TextInput
      name="childReference"
      label="Child's reference"
      hint="The reference from the child's case record, like CH-10423. Never the child's name."
      autoComplete="off"
      spellCheck={false}
      defaultValue={defaultValue}
      error={error}
    />
  );
}

type TypedNight = { typed: TypedDate; error?: { message: string; parts: DatePart[] } };

/**
 * First and last night as GOV.UK date inputs, showing what was typed and the
 * boxes' own errors, or a module's refusal of the date beside all three boxes.
 */
export function NightsInputs({
  legends,
  dates,
  errors,
  lastHint,
}: {
  legends: { first: string; last: string };
  dates?: { firstNight: TypedNight; lastNight: TypedNight };
  errors?: Record<string, string>;
  lastHint?: string;
}) {
  const error = (field: "firstNight" | "lastNight") => dates?.[field].error ?? (errors?.[field] ? { message: errors[field]! } : undefined);
  return (
    <>
      <DateInput name="firstNight" legend={legends.first} value={dates?.firstNight.typed} error={error("firstNight")} />
      <DateInput name="lastNight" legend={legends.last} hint={lastHint} value={dates?.lastNight.typed} error={error("lastNight")} />
    </>
  );
}
