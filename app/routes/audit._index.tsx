import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useInPageLinks } from "#app/components/in-page-links";
import { Button, DateInput, ErrorSummary, PostForm, PrerenderedTable, Select, TextInput } from "#app/components/govuk";
import { resolvePersonFilter } from "#app/modules/audit/people";
import { resolveRecordFilter } from "#app/modules/audit/record-search";
import { auditFilterSearchParams, namedAuditPage, parseAuditFilter, type AuditFilter } from "#app/modules/audit/trail";
import { allowed } from "#app/policy/policy";
import { authorise } from "#app/web/guard.server";
import { auditActionOptionsHtml, auditTrailRows } from "#app/web/audit-rows.server";
import { markupForPage } from "#app/web/html.server";
import { pageMarkup } from "#app/web/page-markup";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Audit trail");

const RECORD_TYPES = [
  { value: "", label: "Any record" },
  { value: "user", label: "User" },
  { value: "organisation", label: "Organisation" },
  { value: "consortium", label: "Consortium" },
  { value: "agreement", label: "Agreement" },
  { value: "lot", label: "Lot" },
  { value: "home", label: "Home or service" },
  { value: "audit_checkpoint", label: "Audit checkpoint" },
];

/** The columns of the rows auditTrailRows writes. */
const COLUMNS = [{ header: "No." }, { header: "When (UK time)" }, { header: "Who" }, { header: "What" }, { header: "Records" }];

/** The date boxes in page order, so the error summary lists their problems as the form does. */
const DATE_BOX_IDS = ["from", "to"].flatMap((field) => ["day", "month", "year"].map((part) => `${field}-${part}`));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "audit.browse");
  const params = new URL(request.url).searchParams;
  const parsed = parseAuditFilter(params);
  const person = await resolvePersonFilter(portal.db, {
    typed: params.get("person") ?? undefined,
    chosenUserId: params.get("actorUserId") ?? undefined,
  });
  const record = await resolveRecordFilter(portal.db, {
    typed: params.get("record") ?? undefined,
    chosen: params.get("subjectId") ? { type: params.get("subjectType") || undefined, id: params.get("subjectId")! } : undefined,
    type: params.get("subjectType") || undefined,
  });
  // The person and record boxes stand for actorUserId and subjectId: their problems are the boxes'.
  const { actorUserId: _badId, subjectId: badRecord, ...errors }: Record<string, string | undefined> = parsed.success ? {} : parsed.errors;
  if (person.kind === "problem") Object.assign(errors, { person: person.message });
  if (record.kind === "problem" || badRecord) Object.assign(errors, { record: record.kind === "problem" ? record.message : badRecord });
  // What the boxes show: what was sent, with the person's or record's name once chosen.
  const values: Partial<Record<string, string>> = {
    ...Object.fromEntries(params),
    person: person.kind === "person" ? person.person.name : person.kind === "problem" ? person.typed : "",
    record:
      record.kind === "record" ? record.record.name : record.kind === "id" ? record.id : record.kind === "problem" ? record.typed : "",
    ...(record.kind === "record" ? { subjectType: record.record.type } : {}),
  };
  const base = {
    values,
    chosenUserId: person.kind === "person" ? person.person.userId : null,
    chosenRecordId: record.kind === "record" ? record.record.id : null,
    candidates: person.kind === "problem" ? person.candidates : [],
    recordCandidates: record.kind === "problem" ? record.candidates : [],
    recordCandidateQuery: recordCandidateQuery(params),
    dates: parsed.dates,
    // Written once, in the select: not a hundred options again in the browser's copy of this data (decision 042).
    actionOptionsHtml: markupForPage(auditActionOptionsHtml(values.action), portal.rendersDocument),
    canCheckpoint: allowed(actor, "audit.checkpoint"),
  };
  if (!parsed.success || Object.keys(errors).length > 0) {
    return {
      ...base,
      errors: errors as Record<string, string>,
      eventCount: 0,
      newestAt: null,
      oldestAt: null,
      rowsHtml: "",
      exportQuery: "",
      olderQuery: null,
      newerQuery: null,
      candidateQuery: candidateQuery(params),
    };
  }
  const { actorUserId: _typedId, subjectId: _typedRecord, ...rest } = parsed.filter;
  const filter: AuditFilter = {
    ...rest,
    ...(person.kind === "person" ? { actorUserId: person.person.userId } : {}),
    ...(record.kind === "record" ? { subjectType: record.record.type, subjectId: record.record.id } : {}),
    ...(record.kind === "id" ? { subjectId: record.id } : {}),
  };
  const { page, names } = await namedAuditPage(portal.db, filter, 50);
  const { before: _older, after: _newer, ...withoutCursor } = filter;
  const exportQuery = auditFilterSearchParams(withoutCursor).toString();
  return {
    ...base,
    errors: undefined,
    exportQuery,
    olderQuery: page.nextBefore ? auditFilterSearchParams({ ...withoutCursor, before: page.nextBefore }).toString() : null,
    newerQuery: page.previousAfter ? auditFilterSearchParams({ ...withoutCursor, after: page.previousAfter }).toString() : null,
    candidateQuery: "",
    eventCount: page.events.length,
    newestAt: page.events[0]?.occurredAt.toISOString() ?? null,
    oldestAt: page.events[page.events.length - 1]?.occurredAt.toISOString() ?? null,
    // Sent once: in the page's table, not again in the browser's copy of this data (decision 026).
    rowsHtml: markupForPage(auditTrailRows(page.events, names), portal.rendersDocument),
  };
}

/** The query a "choose this record" link keeps: every other filter, without the record, its type or the page. */
function recordCandidateQuery(params: URLSearchParams): string {
  const kept = new URLSearchParams(params);
  for (const name of ["record", "subjectType", "subjectId", "before", "after"]) kept.delete(name);
  return kept.toString();
}

/** The query a "choose this person" link keeps: every other filter, without the typed text, id or page. */
function candidateQuery(params: URLSearchParams): string {
  const kept = new URLSearchParams(params);
  for (const name of ["person", "actorUserId", "before", "after"]) kept.delete(name);
  return kept.toString();
}

export default function AuditTrail() {
  const data = useLoaderData<typeof loader>();
  const openLinks = useInPageLinks();
  const v = data.values;
  return (
    <>
      <ErrorSummary errors={data.errors} order={["subjectType", "record", "person", "action", ...DATE_BOX_IDS]} />
      <h1 className="govuk-heading-l">Audit trail</h1>
      <p className="govuk-body">
        Every change in the portal, newest first. Each event is chained to the one before it, and the chain is signed every hour while it grows:{" "}
        <a className="govuk-link" href="/audit/checkpoints">
          see the signed checkpoints
        </a>
        .
      </p>
      <div className="portal-filters">
        {/* Keyed on the query so that "Clear filters" and each search redraw the boxes with what applies. */}
        <Form method="get" key={JSON.stringify(v)}>
          <h2 className="govuk-heading-s">Filter events</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <Select
                name="subjectType"
                label="Record type"
                options={RECORD_TYPES}
                defaultValue={v.subjectType ?? ""}
                error={data.errors?.subjectType}
              />
            </div>
            <div className="govuk-grid-column-two-thirds">
              <TextInput
                name="record"
                label="Record"
                hint="Part of its name, such as a home, organisation, person or agreement, or its ID"
                defaultValue={v.record}
                error={data.errors?.record}
                spellCheck={false}
                autoComplete="off"
              />
              {data.chosenRecordId ? <input type="hidden" name="subjectId" value={data.chosenRecordId} /> : null}
              <Matches
                id="record-matches"
                heading="Records that match"
                items={data.recordCandidates.map((c) => ({
                  key: `${c.type}:${c.id}`,
                  href: `/audit?${withQuery(data.recordCandidateQuery, { subjectType: c.type, subjectId: c.id })}`,
                  name: c.name,
                  note: c.kindLabel,
                }))}
              />
            </div>
          </div>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <TextInput
                name="person"
                label="Person"
                hint="Part of their name or email address"
                defaultValue={v.person}
                error={data.errors?.person}
                spellCheck={false}
                autoComplete="off"
              />
              {data.chosenUserId ? <input type="hidden" name="actorUserId" value={data.chosenUserId} /> : null}
              <Matches
                id="person-matches"
                heading="People who match"
                items={data.candidates.map((c) => ({
                  key: c.userId,
                  href: `/audit?${withQuery(data.candidateQuery, { actorUserId: c.userId })}`,
                  name: c.name,
                  note: `${c.email}, ${c.organisationName}`,
                }))}
              />
            </div>
            <div className="govuk-grid-column-one-half">
              <Select
                name="action"
                label="Action"
                optionsHtml={pageMarkup(data.actionOptionsHtml, ACTION_OPTIONS_IN_PAGE)}
                error={data.errors?.action}
              />
            </div>
          </div>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <DateInput name="from" legend="Date from" value={data.dates.from.typed} error={data.dates.from.error} />
            </div>
            <div className="govuk-grid-column-one-half">
              <DateInput name="to" legend="Date to" value={data.dates.to.typed} error={data.dates.to.error} />
            </div>
          </div>
          <div className="govuk-button-group">
            <Button>Apply filters</Button>
            <Link className="govuk-link" to="/audit">
              Clear filters
            </Link>
          </div>
        </Form>
      </div>
      {data.errors ? null : (
        <>
          <div className="govuk-button-group">
            <a className="govuk-button govuk-button--secondary" href={`/audit/export.csv${data.exportQuery ? `?${data.exportQuery}` : ""}`}>
              Export these events as CSV
            </a>
          </div>
          {data.canCheckpoint ? (
            <PostForm action="/audit/checkpoints">
              <Button variant="secondary">Sign a checkpoint now</Button>
            </PostForm>
          ) : null}
          {data.eventCount === 0 ? (
            <p className="govuk-body">No events match these filters.</p>
          ) : (
            // The record links open in the page through one handler (see useInPageLinks).
            <div className="portal-audit-trail" onClick={openLinks}>
              <p className="govuk-body">
                Showing {data.eventCount} {data.eventCount === 1 ? "event" : "events"}, newest first, from {ukDateTime(data.oldestAt!)} to{" "}
                {ukDateTime(data.newestAt!)}.
              </p>
              <PrerenderedTable caption="Events" headers={COLUMNS} rowsHtml={pageMarkup(data.rowsHtml, ROWS_IN_PAGE)} />
            </div>
          )}
          <AuditPagination newerQuery={data.newerQuery} olderQuery={data.olderQuery} />
        </>
      )}
    </>
  );
}

/** Where the server wrote the rows and the actions, for the browser to take them from when it starts on this page. */
const ROWS_IN_PAGE = ".portal-audit-trail tbody";
const ACTION_OPTIONS_IN_PAGE = "select#action";
/** GOV.UK pagination, newest first: "Newer events" back towards the top, "Older events" on. */
function AuditPagination({ newerQuery, olderQuery }: { newerQuery: string | null; olderQuery: string | null }) {
  if (!newerQuery && !olderQuery) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label="Pages of events">
      {newerQuery ? <PaginationLink direction="prev" query={newerQuery} title="Newer events" /> : null}
      {olderQuery ? <PaginationLink direction="next" query={olderQuery} title="Older events" /> : null}
    </nav>
  );
}

const ARROWS = {
  prev: "m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z",
  next: "m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z",
};

function PaginationLink({ direction, query, title }: { direction: "prev" | "next"; query: string; title: string }) {
  return (
    <div className={`govuk-pagination__${direction}`}>
      <Link className="govuk-link govuk-pagination__link" to={`/audit?${query}`} rel={direction}>
        <svg
          className={`govuk-pagination__icon govuk-pagination__icon--${direction}`}
          xmlns="http://www.w3.org/2000/svg"
          height="13"
          width="15"
          aria-hidden="true"
          focusable="false"
          viewBox="0 0 15 13"
        >
          <path d={ARROWS[direction]} />
        </svg>
        <span className="govuk-pagination__link-title">{title}</span>
      </Link>
    </div>
  );
}

function withQuery(kept: string, added: Record<string, string>): string {
  const extra = new URLSearchParams(added).toString();
  return kept ? `${kept}&${extra}` : extra;
}

/** The records or people a box matched, as links that choose one and keep the other filters. */
function Matches({
  id,
  heading,
  items,
}: {
  id: string;
  heading: string;
  items: { key: string; href: string; name: string; note: string }[];
}) {
  if (items.length === 0) return null;
  return (
    <>
      <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1" id={id}>
        {heading}
      </p>
      <ul className="govuk-list" aria-labelledby={id}>
        {items.map((item) => (
          <li key={item.key}>
            <Link className="govuk-link" to={item.href}>
              {item.name}
            </Link>{" "}
            <span className="govuk-hint govuk-!-display-inline">{item.note}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
