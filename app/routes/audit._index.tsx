import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, PostForm, Select, Table, TextInput } from "#app/components/govuk";
import { auditActionOptions } from "#app/modules/audit/actions";
import { auditFilterSearchParams, parseAuditFilter, searchAuditTrail, SYSTEM_ACTOR } from "#app/modules/audit/trail";
import { listUsers } from "#app/modules/identity/users";
import { allowed } from "#app/policy/policy";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";

export const meta: MetaFunction = () => [{ title: "Audit trail – Children's Placements Portal" }];

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

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "audit.browse");
  const params = new URL(request.url).searchParams;
  const values = Object.fromEntries(params);
  const people = (await listUsers(portal.db)).map((u) => ({ value: u.id, label: `${u.fullName} (${u.organisationName})` }));
  const parsed = parseAuditFilter(params);
  const base = {
    values,
    people,
    actions: auditActionOptions(),
    canCheckpoint: allowed(actor, "audit.checkpoint"),
  };
  if (!parsed.success) return { ...base, errors: parsed.errors as Record<string, string>, events: [], exportQuery: "", olderQuery: null };
  const page = await searchAuditTrail(portal.db, parsed.filter, { pageSize: 50 });
  const { before: _ignored, ...withoutCursor } = parsed.filter;
  const exportQuery = auditFilterSearchParams(withoutCursor).toString();
  return {
    ...base,
    errors: undefined,
    exportQuery,
    olderQuery: page.nextBefore ? auditFilterSearchParams({ ...parsed.filter, before: page.nextBefore }).toString() : null,
    events: page.events.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString(),
      person: e.actor ? e.actor.name : SYSTEM_ACTOR,
      organisation: e.actor?.organisationName ?? null,
      actionLabel: e.actionLabel,
      summary: e.summary,
      reason: e.reason,
      subjects: e.subjects,
    })),
  };
}

export default function AuditTrail() {
  const data = useLoaderData<typeof loader>();
  const v = data.values;
  return (
    <>
      <h1 className="govuk-heading-l">Audit trail</h1>
      <p className="govuk-body">
        Every change in the portal, newest first. Each event is chained to the one before it and the chain is signed every day:{" "}
        <a className="govuk-link" href="/audit/checkpoints">
          see the signed checkpoints
        </a>
        .
      </p>
      <ErrorSummary errors={data.errors} order={["subjectType", "subjectId", "actorUserId", "action", "from", "to"]} />
      <div className="portal-filters">
        {/* Keyed on the query so that "Clear filters" and each search redraw the boxes with what applies. */}
        <Form method="get" key={JSON.stringify(v)}>
          <h2 className="govuk-heading-s">Filter events</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <Select name="subjectType" label="Record type" options={RECORD_TYPES} defaultValue={v.subjectType ?? ""} error={data.errors?.subjectType} />
            </div>
            <div className="govuk-grid-column-two-thirds">
              <TextInput name="subjectId" label="Record ID" hint="The ID in the record's web address" defaultValue={v.subjectId} error={data.errors?.subjectId} spellCheck={false} />
            </div>
          </div>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <Select name="actorUserId" label="Person" options={[{ value: "", label: "Anyone" }, ...data.people]} defaultValue={v.actorUserId ?? ""} error={data.errors?.actorUserId} />
            </div>
            <div className="govuk-grid-column-one-half">
              <Select
                name="action"
                label="Action"
                options={[{ value: "", label: "Any action" }, ...data.actions.map((a) => ({ value: a.name, label: a.label }))]}
                defaultValue={v.action ?? ""}
                error={data.errors?.action}
              />
            </div>
          </div>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <TextInput name="from" type="date" label="From (UK date)" defaultValue={v.from} error={data.errors?.from} />
            </div>
            <div className="govuk-grid-column-one-half">
              <TextInput name="to" type="date" label="To (UK date)" defaultValue={v.to} error={data.errors?.to} />
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
          {data.events.length === 0 ? (
            <p className="govuk-body">No events match these filters.</p>
          ) : (
            <Table
              caption="Events"
              rows={data.events}
              rowKey={(e) => String(e.seq)}
              columns={[
                { header: "No.", cell: (e) => e.seq },
                { header: "When (UK time)", cell: (e) => <span className="portal-nowrap">{ukDateTime(e.occurredAt)}</span> },
                {
                  header: "Who",
                  cell: (e) => (
                    <>
                      {e.person}
                      {e.organisation ? <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{e.organisation}</span> : null}
                    </>
                  ),
                },
                {
                  header: "What",
                  cell: (e) => (
                    <>
                      <strong>{e.actionLabel}</strong>
                      <br />
                      {e.summary}
                      {e.reason ? <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">Reason: {e.reason}</span> : null}
                    </>
                  ),
                },
                {
                  header: "Records",
                  cell: (e) =>
                    e.subjects.map((s) => (
                      <div key={`${s.type}:${s.id}`}>
                        <Link className="govuk-link" to={`/audit/records/${encodeURIComponent(s.type)}/${encodeURIComponent(s.id)}`}>
                          {s.type.replace(/_/g, " ")} history
                          <span className="govuk-visually-hidden"> for {s.id}</span>
                        </Link>
                      </div>
                    )),
                },
              ]}
            />
          )}
          {data.olderQuery ? (
            <nav className="govuk-pagination govuk-pagination--block" aria-label="Pagination">
              <div className="govuk-pagination__next">
                <Link className="govuk-link govuk-pagination__link" to={`/audit?${data.olderQuery}`} rel="next">
                  <span className="govuk-pagination__link-title">Older events</span>
                </Link>
              </div>
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
