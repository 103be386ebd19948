import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "#app/components/BarChart";
import { BackLink, Table, Tag } from "#app/components/govuk";
import { periodLabel } from "#app/components/Utilisation";
import { ukDate as ukToday } from "#app/modules/common/input";
import { LIMIT_LABELS, listShortBreakBookings, MAX_NIGHTS_IN_12_MONTHS, MAX_NIGHTS_IN_A_ROW, shortBreakReport } from "#app/modules/utilisation/short-breaks";
import { allowed } from "#app/policy/policy";
import { pounds, ukDate } from "#app/web/format";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { financialYearOf } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Short breaks");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "shortBreaks.view");
  const year = financialYearOf(new URL(request.url));
  const tonight = ukToday(new Date());
  const [report, bookings] = await Promise.all([
    shortBreakReport(portal.db, { year, tonight }),
    listShortBreakBookings(portal.db, { year }),
  ]);
  return { year, report, bookings, startYear: Number(year.from.slice(0, 4)), canBook: allowed(actor, "shortBreak.book"), canCancel: allowed(actor, "shortBreak.cancel") };
}

export default function ShortBreaks() {
  const { year, report, bookings, startYear, canBook, canCancel } = useLoaderData<typeof loader>();
  const t = report.total;
  return (
    <>
      <BackLink to="/utilisation">Block beds</BackLink>
      <span className="govuk-caption-l">{year.label}</span>
      <h1 className="govuk-heading-l">Short breaks</h1>
      <p className="govuk-body">
        Overnight short breaks for disabled children, counted in nights. Nights used are nights booked that have passed. A booking that would give a child more
        than {MAX_NIGHTS_IN_A_ROW} nights in a row or {MAX_NIGHTS_IN_12_MONTHS} nights in 12 months (the short-break limits of the Care Planning Regulations,
        regulation 48) needs a recorded reason.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to={`/short-breaks?year=${startYear - 1}`}>
          April {startYear - 1} to March {startYear}
        </Link>
        {" | "}
        <Link className="govuk-link" to={`/short-breaks?year=${startYear + 1}`}>
          April {startYear + 1} to March {startYear + 2}
        </Link>
      </p>
      {canBook ? (
        <Link className="govuk-button" to="/short-breaks/book">
          Book a short break
        </Link>
      ) : null}
      <Table
        caption="Nights and cost by home"
        rows={[...report.contracts.map((c) => ({ key: c.contractId, name: `${c.homeName} (${c.reference})`, ...c })), { key: "total", name: "All homes", ...t }]}
        rowKey={(r) => r.key}
        columns={[
          { header: "Home", cell: (r) => (r.key === "total" ? <strong>{r.name}</strong> : r.name) },
          { header: "Contracted nights a year", numeric: true, cell: (r) => r.nightsPerYear.toLocaleString("en-GB") },
          { header: "Nights booked", numeric: true, cell: (r) => r.bookedNights.toLocaleString("en-GB") },
          { header: "Nights used", numeric: true, cell: (r) => r.usedNights.toLocaleString("en-GB") },
          { header: "Cost", numeric: true, cell: (r) => pounds(r.costPence) },
          { header: "Paid by health", numeric: true, cell: (r) => pounds(r.healthPence) },
          { header: "Paid by the council", numeric: true, cell: (r) => pounds(r.councilPence) },
        ]}
      />
      <h2 className="govuk-heading-m">Nights by month</h2>
      <BarChart
        title={`Short-break nights booked by month, ${year.label}`}
        unit=""
        max={Math.max(10, ...report.months.map((m) => m.bookedNights))}
        tableId="short-break-months"
        bars={report.months.map((m) => {
          const label = periodLabel(m.month, "month");
          return { label: label.long, shortLabel: label.short, value: m.bookedNights, title: `${label.long}: ${m.bookedNights} nights booked` };
        })}
      />
      <div id="short-break-months">
        <Table
          caption="Nights booked and used by month"
          rows={report.months}
          rowKey={(m) => m.month}
          columns={[
            { header: "Month", cell: (m) => periodLabel(m.month, "month").long },
            { header: "Nights booked", numeric: true, cell: (m) => String(m.bookedNights) },
            { header: "Nights used", numeric: true, cell: (m) => String(m.usedNights) },
          ]}
        />
      </div>
      <Table
        caption="Children"
        rows={report.children}
        rowKey={(c) => c.childReference}
        columns={[
          { header: "Child's reference", cell: (c) => c.childReference },
          { header: "Bookings", numeric: true, cell: (c) => String(c.bookings) },
          { header: "Nights booked", numeric: true, cell: (c) => String(c.bookedNights) },
          { header: "Nights used", numeric: true, cell: (c) => String(c.usedNights) },
          { header: "Paid by health", numeric: true, cell: (c) => pounds(c.healthPence) },
          { header: "Paid by the council", numeric: true, cell: (c) => pounds(c.councilPence) },
          { header: "Past the limits", cell: (c) => (c.flaggedBookings > 0 ? <Tag colour="red">{c.flaggedBookings === 1 ? "1 booking" : `${c.flaggedBookings} bookings`}</Tag> : "No") },
        ]}
      />
      <Table
        caption="Bookings"
        rows={bookings}
        rowKey={(b) => b.id}
        columns={[
          { header: "Child's reference", cell: (b) => b.childReference },
          { header: "Home", cell: (b) => b.homeName },
          { header: "Nights", cell: (b) => (b.firstNight === b.lastNight ? ukDate(b.firstNight) : `${ukDate(b.firstNight)} to ${ukDate(b.lastNight)}`) },
          { header: "Health's share", numeric: true, cell: (b) => `${b.healthSharePercent}%` },
          {
            header: "Limits",
            cell: (b) =>
              b.limitsExceeded.length === 0 ? (
                "Within the limits"
              ) : (
                <>
                  <Tag colour="red">Past the limits</Tag> {b.limitsExceeded.map((l) => LIMIT_LABELS[l]).join(" and ")}. Reason: {b.overLimitReason}
                </>
              ),
          },
          ...(canCancel
            ? [
                {
                  header: <span className="govuk-visually-hidden">Action</span>,
                  cell: (b: (typeof bookings)[number]) => (
                    <Link className="govuk-link" to={`/short-breaks/${b.id}/cancel`}>
                      Cancel<span className="govuk-visually-hidden"> {b.childReference}&apos;s short break from {ukDate(b.firstNight)}</span>
                    </Link>
                  ),
                },
              ]
            : []),
        ]}
      />
      <p className="govuk-body">
        <a className="govuk-link" href={`/short-breaks.csv?year=${startYear}`} download>
          Download these figures (CSV)
        </a>
      </p>
    </>
  );
}
