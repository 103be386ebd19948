import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { problemHref } from "#app/components/tendering/fields";
import { tenderFor } from "#app/components/tendering/load.server";
import { ConcurrentEditError } from "#app/modules/errors";
import { publicationProblems, publishTender, TenderNotReady, type PublicationProblem } from "#app/modules/tendering/publication";
import { getTender, PROCEDURES, TENDER_FORM_FIELDS, type TenderView } from "#app/modules/tendering/tenders";
import type { PortalContext } from "#app/web/context";
import { actionContext } from "#app/web/context";
import { pageMeta } from "#app/web/page-title";
import { participationPath } from "#app/web/participation-paths";
import { formatUkDateTime } from "#emails/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Publish ${data.title}` : "Publish a tender");

const EDIT_FIELDS = new Set<string>([...Object.values(TENDER_FORM_FIELDS), "lotIds"]);

/** Each problem as a link to where it is put right: the edit page for the tender's own fields, the questionnaire for the rest. */
function linked(tenderId: string, problems: PublicationProblem[]) {
  return problems.map((p) => ({
    message: p.message,
    href: EDIT_FIELDS.has(p.field)
      ? `/tenders/${tenderId}/edit${problemHref({}, p.field)}`
      : p.field === "participationSections"
        ? participationPath(tenderId, "#sectionIds")
        : `/tenders/${tenderId}/questionnaire#${p.field}`,
  }));
}

/** The page as the tender stands now: drawn by the loader, and again by a refused publish. */
async function checkPage(portal: PortalContext, view: TenderView) {
  const t = view.tender;
  const check = await publicationProblems(portal.db, t.id, new Date());
  if (!check) throw new Response("Page not found", { status: 404 });
  return {
    id: t.id,
    title: t.title,
    version: t.version,
    problems: linked(t.id, check.problems),
    warnings: linked(t.id, check.warnings),
    answers: [
      { key: "Title", value: t.title },
      { key: "Procedure", value: `${PROCEDURES[t.procedure].label}${t.light_touch ? ", light-touch regime" : ""}` },
      { key: "Publication", value: t.publication_at ? formatUkDateTime(t.publication_at) : "Not set" },
      { key: "Submission deadline", value: t.submission_deadline_at ? formatUkDateTime(t.submission_deadline_at) : "Not set" },
      { key: "Lots", value: view.lots.map((l) => `Lot ${l.number}: ${l.title}`).join("; ") || "None" },
    ],
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view } = await tenderFor(request, context.portal, params.tenderId);
  if (view.tender.status !== "draft") throw redirect(`/tenders/${view.tender.id}`);
  return { ...(await checkPage(context.portal, view)), changed: null as string | null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const version = Number((await request.formData()).get("version"));
  let warnings: PublicationProblem[];
  try {
    ({ warnings } = await portal.db.transaction().execute((trx) => publishTender(trx, { tenderId: view.tender.id, expectedVersion: version }, actionContext(portal))));
  } catch (error) {
    // The page is drawn again from the tender as it is now, with every problem listed.
    const now = await getTender(portal.db, view.tender.id);
    if (!now || now.tender.status !== "draft") throw redirect(`/tenders/${view.tender.id}`);
    if (error instanceof TenderNotReady) return data({ ...(await checkPage(portal, now)), changed: null }, { status: 400 });
    if (error instanceof ConcurrentEditError) return data({ ...(await checkPage(portal, now)), changed: error.message }, { status: 409 });
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: "Tender published",
        body: warnings.length ? `Anyone can now read it. Remember: ${warnings.map((w) => w.message).join(". ")}.` : "Anyone can now read it, and providers can register interest.",
      }),
    },
  });
}

export default function PublishTender() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { id, title, version, problems, warnings, answers, changed } = result ?? loaded;
  const errors = Object.fromEntries(problems.map((p, i) => [String(i), p.message]));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${id}`}>Back to the tender</BackLink>
        {changed ? <ErrorSummary errors={{ form: changed }} /> : null}
        <ErrorSummary title="This tender cannot be published yet" errors={errors} href={(key) => problems[Number(key)]!.href} />
        <span className="govuk-caption-l">{title}</span>
        <h1 className="govuk-heading-l">Check and publish the tender</h1>
        {warnings.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Check these before you publish</h2>
            {warnings.map((w) => (
              <WarningText key={w.message}>
                {w.message}.{" "}
                <a className="govuk-link" href={w.href}>
                  Change it
                </a>
              </WarningText>
            ))}
          </>
        ) : null}
        <SummaryList rows={answers} />
        {problems.length > 0 ? (
          <p className="govuk-body">Put right each problem listed above, then come back to this page to publish.</p>
        ) : (
          <>
            <h2 className="govuk-heading-m">Now publish the tender</h2>
            <p className="govuk-body">
              Once published, anyone can read the tender. It can then be changed only by an amendment with a reason, which is emailed to every
              provider that has registered interest.
            </p>
            <PostForm>
              <input type="hidden" name="version" value={version} />
              <Button>Publish tender</Button>
            </PostForm>
          </>
        )}
      </div>
    </div>
  );
}
