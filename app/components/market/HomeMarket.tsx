// A home's part in the placements market, on its page: whether it is
// suspended and why, its Statement of Purpose, its vacancy and the history of
// updates and confirmations, and its suspensions over time.
import { Link } from "@remix-run/react";
import { SummaryList, Table, Tag } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { ukDateTime } from "#app/web/format";
import type { HomeMarketView } from "./home-market.server";
import { Freshness, vacancyInWords, vacancyNeedsInWords } from "./vacancy";

export function SuspensionNotice({ suspension }: { suspension: HomeMarketView["suspensions"][number] }) {
  return (
    <WarningText>
      Suspended from new placements since {ukDateTime(suspension.suspendedAt)}. {suspension.cause}: {suspension.reason}
    </WarningText>
  );
}

/** The suspension in force, if any, for the top of the home's page: to those who may see it. */
export function CurrentSuspension({ view }: { view: HomeMarketView }) {
  const current = view.suspensions.find((s) => s.liftedAt === null);
  return view.can.seeSuspension && current ? <SuspensionNotice suspension={current} /> : null;
}

export function HomeMarket({ homeId, homeName, view }: { homeId: string; homeName: string; view: HomeMarketView }) {
  const current = view.suspensions.find((s) => s.liftedAt === null);
  return (
    <>
      <h2 className="govuk-heading-m">Statement of Purpose</h2>
      {view.statement ? (
        <SummaryList
          rows={[
            { key: "Ages", value: view.statement.ages },
            { key: "Looks after", value: view.statement.genders.join(", ") },
            { key: "Needs it meets", value: view.statement.needs.join(", ") },
            {
              key: "Agreements and lots",
              value: view.statement.lots.length ? (
                <ul className="govuk-list">
                  {view.statement.lots.map((lot) => (
                    <li key={lot}>{lot}</li>
                  ))}
                </ul>
              ) : (
                "None"
              ),
            },
          ]}
        />
      ) : (
        <p className="govuk-body">No Statement of Purpose recorded yet.</p>
      )}
      {view.can.editStatement ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/homes/${homeId}/statement-of-purpose`}>
            {view.statement ? "Change" : "Add"} the Statement of Purpose<span className="govuk-visually-hidden"> of {homeName}</span>
          </Link>
        </p>
      ) : null}

      <h2 className="govuk-heading-m" id="vacancy-history">
        Vacancy
      </h2>
      {view.vacancy ? (
        <SummaryList
          rows={[
            { key: "Vacancy", value: vacancyInWords(view.vacancy) },
            { key: "Needs it could meet", value: vacancyNeedsInWords(view.vacancy.needs, view.needLabels) },
            { key: "Freshness", value: <Freshness lastConfirmedAt={view.vacancy.lastConfirmedAt} stale={view.vacancy.stale} /> },
          ]}
        />
      ) : (
        <p className="govuk-body">No vacancy recorded yet.</p>
      )}
      {view.can.manageVacancies ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/vacancies">
            Update vacancies
          </Link>
        </p>
      ) : null}
      {view.history.length ? (
        <Table
          caption="Vacancy updates and confirmations (latest 20)"
          rows={view.history}
          rowKey={(h) => String(h.id)}
          columns={[
            { header: "When", cell: (h) => ukDateTime(h.recordedAt) },
            { header: "What", cell: (h) => (h.change === "updated" ? "Updated" : "Confirmed, no change") },
            { header: "Vacancy", cell: (h) => vacancyInWords(h) },
            { header: "Needs", cell: (h) => vacancyNeedsInWords(h.needs, view.needLabels) },
            { header: "By", cell: (h) => h.recordedBy ?? "The portal" },
          ]}
        />
      ) : null}

      {view.can.seeSuspension ? (
        <>
          {view.suspensions.length === 0 ? (
            <>
              <h2 className="govuk-heading-m">Suspensions from new placements</h2>
              <p className="govuk-body">Never suspended.</p>
            </>
          ) : null}
          {view.suspensions.length ? (
            <Table
              caption="Suspensions from new placements"
              rows={view.suspensions}
              rowKey={(s) => s.id}
              columns={[
                {
                  header: "Suspended",
                  cell: (s) => (
                    <>
                      {ukDateTime(s.suspendedAt)}
                      {s.suspendedBy ? ` by ${s.suspendedBy}` : ""}
                    </>
                  ),
                },
                { header: "Why", cell: (s) => `${s.cause}: ${s.reason}` },
                {
                  header: "Lifted",
                  cell: (s) =>
                    s.liftedAt ? (
                      <>
                        {ukDateTime(s.liftedAt)}
                        {s.liftedBy ? ` by ${s.liftedBy}` : ""}. {s.liftReason}
                        {s.liftConditions ? <> Conditions: {s.liftConditions}</> : null}
                      </>
                    ) : (
                      <Tag colour="red">In force</Tag>
                    ),
                },
              ]}
            />
          ) : null}
          {view.can.suspend ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={`/homes/${homeId}/suspension`}>
                {current ? "Lift the suspension" : "Suspend from new placements"}
                <span className="govuk-visually-hidden"> of {homeName}</span>
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}
