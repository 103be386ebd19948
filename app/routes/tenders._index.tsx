import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Pagination, pageOutOfRange } from "#app/components/Pagination";
import { tenderListCards } from "#app/components/tendering/tender-cards.server";
import { councilDraftTenders, pageOfPublicTenders } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { markupForPage } from "#app/web/html.server";
import { pageMarkup } from "#app/web/page-markup";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Tenders");

const PAGE_SIZE = 25;
const query = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });
const tendersPage = (page: number) => `/tenders?page=${page}`;

// Public: published tenders are for anyone, signed in or not (mayReadTender).
// A council's drafts are listed only to its commissioning officers, filtered in the query.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = portal.actor;
  const now = new Date();
  const { page } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { tenders, total } = await pageOfPublicTenders(portal.db, { page, pageSize: PAGE_SIZE, now });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > pages) throw data(pageOutOfRange(page, pages, "tenders", tendersPage), { status: 404 });
  const seesDrafts = actor !== null && allowed(actor, "tender.listDrafts");
  const drafts = seesDrafts ? await councilDraftTenders(portal.db, { councilId: actor.organisationId, now }) : null;
  const canCreate =
    actor !== null && allowed(actor, "tender.create", { kind: "tender", councilId: actor.organisationId, status: "draft", everPublished: false });
  // The cards as HTML, sent once (decisions 026 and 041).
  const cards = (items: typeof tenders) => markupForPage(tenderListCards(items), portal.rendersDocument);
  return {
    tenders: cards(tenders),
    total,
    page,
    pages,
    drafts: drafts ? { count: drafts.length, cards: cards(drafts) } : null,
    councilName: actor?.organisationName ?? null,
    canCreate,
    signedIn: actor !== null,
  };
}

export default function Tenders() {
  const { tenders, total, page, pages, drafts, councilName, canCreate, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Tenders</h1>
      <p className="govuk-body">
        Tenders for homes for children in care published by the councils of the consortium. Anyone can read them; providers{" "}
        {signedIn ? "register interest" : (
          <>
            <Link className="govuk-link" to="/sign-in?returnTo=%2Ftenders">
              sign in
            </Link>{" "}
            to register interest
          </>
        )}{" "}
        to be told of any change.
      </p>
      {canCreate ? (
        <Link to="/tenders/new" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
          Create a tender
        </Link>
      ) : null}
      {drafts ? (
        <>
          <h2 className="govuk-heading-m">{councilName}: drafts</h2>
          {drafts.count === 0 ? (
            <p className="govuk-body">Your council has no draft tenders.</p>
          ) : (
            <>
              <p className="govuk-body">Only your council can see these until they are published.</p>
              <TenderCards id="draft-tenders" markup={drafts.cards} />
            </>
          )}
        </>
      ) : null}
      <h2 className="govuk-heading-m">Published tenders</h2>
      {total === 0 ? (
        <p className="govuk-body">No tenders have been published yet.</p>
      ) : (
        <>
          <p className="govuk-body">
            {total} {total === 1 ? "tender" : "tenders"}, open ones first{pages > 1 ? `; page ${page} of ${pages}` : ""}.
          </p>
          <TenderCards id="published-tenders" markup={tenders} />
        </>
      )}
      <Pagination page={page} pages={pages} href={tendersPage} />
    </>
  );
}

/** The cards the loader wrote (tender-cards.server.ts), in a box of their own that the browser starting on this page reads them back from. */
function TenderCards({ id, markup }: { id: string; markup: string | { readonly markup?: string } }) {
  return <div id={id} dangerouslySetInnerHTML={{ __html: pageMarkup(markup, `#${id}`) }} />;
}
