import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { longDate, ukDate } from "#app/modules/common/input";
import { contractsCard } from "#app/modules/contracts/contracts";
import { awardsWaitingFor, councilDashboard, dashboardFigures } from "#app/modules/dashboard/dashboard";
import { allowed } from "#app/policy/policy";
import { authorise } from "#app/web/guard.server";
import { poundsShort, ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

// Signed in, the dashboard; signed out, the start page about the service.
export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.signedIn ? "Dashboard" : "Home");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  if (!portal.actor) return { signedIn: false as const };
  const actor = authorise(request, portal, "dashboard.view");
  const now = new Date();
  const council =
    actor.organisationKind === "council"
      ? await councilDashboard(
          portal.db,
          actor,
          {
            // Officers who run tenders are shown their council's open frameworks coming up for re-opening.
            reopenings: allowed(actor, "tender.listDrafts"),
            standstills: allowed(actor, "awardNotice.listStandstills"),
            contracts: allowed(actor, "contract.list"),
          },
          now,
        )
      : null;
  const figures = council?.figures ?? (await dashboardFigures(portal.db, actor));
  const reopenings = council?.reopenings ?? [];
  const standstills = (council?.standstills ?? []).map((w) => ({ tenderId: w.tenderId, title: w.title, inWords: w.inWords }));
  const contracts = council ? council.contracts : allowed(actor, "contract.list") ? await contractsCard(portal.db, actor, ukDate(now)) : null;
  const awards = allowed(actor, "award.listWaiting") ? await awardsWaitingFor(portal.db, actor) : null;
  return {
    signedIn: true as const,
    name: actor.name,
    organisationName: actor.organisationName,
    isProvider: actor.organisationKind === "provider",
    figures,
    reopenings: reopenings.map((r) => ({ tenderId: r.tenderId, title: r.title, dueOn: r.dueOn, daysLeft: r.daysLeft, draft: r.draft })),
    standstills,
    contracts: contracts && (contracts.toAccept > 0 || contracts.noticesDue > 0) ? contracts : null,
    awards: awards ? { yours: awards.yours, oldest: awards.oldestSubmittedAt ? ukDateTime(awards.oldestSubmittedAt) : null } : null,
    can: {
      audit: allowed(actor, "audit.browse"),
      users: allowed(actor, "user.list"),
      emails: allowed(actor, "email.viewSent"),
      providers: allowed(actor, "organisation.list"),
    },
  };
}

function Figure({ label, value, href }: { label: string; value: string; href?: string }) {
  return (
    <div className="govuk-grid-column-one-quarter">
      <p className="govuk-body govuk-!-margin-bottom-1">{href ? <Link className="govuk-link" to={href}>{label}</Link> : label}</p>
      <p className="govuk-heading-l">{value}</p>
    </div>
  );
}

export default function Index() {
  const data = useLoaderData<typeof loader>();
  if (!data.signedIn) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-xl">Children's Placements Portal</h1>
          <p className="govuk-body-l">Frameworks and contracts for homes for children in care, run by the councils of the consortium.</p>
          <p className="govuk-body">Use this service to:</p>
          <ul className="govuk-list govuk-list--bullet">
            <li>bid for residential children's homes, supported living (16+), block-booked beds and short breaks</li>
            <li>evaluate tenders and record award decisions</li>
            <li>keep vacancies up to date and find placements</li>
            <li>monitor fees, Ofsted grades and contract performance</li>
          </ul>
          <p className="govuk-body">
            <Link className="govuk-link" to="/tenders">
              See the tenders open for bids
            </Link>
            : anyone can read them, without signing in.
          </p>
          <Link to="/sign-in" role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
            Sign in
            <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
            </svg>
          </Link>
        </div>
      </div>
    );
  }
  const f = data.figures;
  return (
    <>
      <span className="govuk-caption-l">{data.organisationName}</span>
      <h1 className="govuk-heading-l">Welcome, {data.name}</h1>
      {data.awards ? (
        <div className="govuk-inset-text" data-testid="awards-card">
          <h2 className="govuk-heading-m">Award decisions</h2>
          <p className="govuk-body">
            {data.awards.yours === 0
              ? "No award recommendation is waiting for you."
              : `${data.awards.yours} award ${data.awards.yours === 1 ? "recommendation is" : "recommendations are"} waiting for you, the oldest since ${data.awards.oldest}.`}
          </p>
          <p className="govuk-body">
            <Link className="govuk-link" to="/decisions">
              See award decisions
            </Link>
          </p>
        </div>
      ) : null}
      {data.standstills.length > 0 ? (
        <div className="govuk-inset-text" data-testid="standstills-card">
          <h2 className="govuk-heading-m">Awards in standstill or challenged</h2>
          <ul className="govuk-list govuk-list--spaced">
            {data.standstills.map((w) => (
              <li key={w.tenderId}>
                <Link className="govuk-link" to={`/tenders/${w.tenderId}/award`}>
                  {w.title}
                </Link>
                : {w.inWords}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data.contracts ? (
        <div className="govuk-inset-text" data-testid="contracts-card">
          <h2 className="govuk-heading-m">{data.isProvider ? "Agreements to accept" : "Contract details notices due"}</h2>
          <p className="govuk-body">
            {data.isProvider
              ? `${data.contracts.toAccept} ${data.contracts.toAccept === 1 ? "agreement is" : "agreements are"} waiting for you to read and accept.`
              : `${data.contracts.noticesDue} ${data.contracts.noticesDue === 1 ? "notice is" : "notices are"} due within 14 days${data.contracts.overdue ? `, ${data.contracts.overdue} of them overdue` : ""}.`}
          </p>
          <p className="govuk-body">
            <Link className="govuk-link" to="/contracts">
              See contracts
            </Link>
          </p>
        </div>
      ) : null}
      <div className="govuk-grid-row">
        <Figure label="Agreements" value={String(f.agreements)} href="/agreements" />
        {!data.isProvider ? <Figure label="Estimated value" value={poundsShort(f.agreementValuePence)} href="/agreements" /> : null}
        {!data.isProvider ? <Figure label="Providers" value={String(f.providers)} href="/organisations" /> : null}
        <Figure label={data.isProvider ? "Your homes and services" : "Homes and services"} value={String(f.homes)} href="/homes" />
      </div>
      <div className="govuk-grid-row">
        <Figure label="Registered places" value={String(f.registeredPlaces)} />
        <Figure label="Homes graded Inadequate" value={String(f.inadequateHomes)} />
        {f.auditTrail && data.can.audit ? <Figure label="Audit events" value={f.auditTrail.events.toLocaleString("en-GB")} href="/audit" /> : null}
        {f.auditTrail && data.can.audit ? (
          <Figure label="Audit trail last signed" value={f.auditTrail.lastSignedAt ? ukDateTime(f.auditTrail.lastSignedAt) : "Not yet"} href="/audit/checkpoints" />
        ) : null}
      </div>
      {data.reopenings.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Open frameworks to re-open</h2>
          <p className="govuk-body">
            An open framework must be re-opened to new providers within three years of its start, then at least every five years.
          </p>
          <ul className="govuk-list govuk-list--spaced">
            {data.reopenings.map((r) => (
              <li key={r.tenderId}>
                <Link className="govuk-link" to={`/tenders/${r.tenderId}`}>
                  {r.title}
                </Link>
                :{" "}
                {r.daysLeft < 0 ? (
                  <strong className="govuk-tag govuk-tag--red">Overdue</strong>
                ) : null}{" "}
                {r.daysLeft < 0
                  ? `was due by ${longDate(r.dueOn)}, ${-r.daysLeft} ${r.daysLeft === -1 ? "day" : "days"} ago`
                  : `re-open by ${longDate(r.dueOn)}, in ${r.daysLeft} ${r.daysLeft === 1 ? "day" : "days"}`}
                .{" "}
                {r.draft ? (
                  <>
                    Re-opening drafted:{" "}
                    <Link className="govuk-link" to={`/tenders/${r.draft.id}`}>
                      {r.draft.title}
                    </Link>
                  </>
                ) : (
                  "No re-opening drafted yet."
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.can.users || data.can.emails ? (
        <>
          <h2 className="govuk-heading-m">Administration</h2>
          <ul className="govuk-list">
            {data.can.users ? (
              <li>
                <Link className="govuk-link" to="/admin/users">
                  Manage users and roles
                </Link>
              </li>
            ) : null}
            {data.can.emails ? (
              <li>
                <Link className="govuk-link" to="/admin/emails">
                  Sent email
                </Link>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
    </>
  );
}
