// What every page of a provider's application to a dynamic market does
// first: the market (404 for a draft, an unknown id or a tender that is not a
// dynamic market), the policy's market.apply, and the acting provider's own
// applications and memberships, found through its organisation only.
import { redirect } from "@remix-run/node";
import type { Actor } from "#app/modules/identity/actor";
import { applyPath } from "#app/web/market-paths";
import {
  answerCondition,
  applicationProblems,
  marketConditions,
  submitApplication,
  marketOpen,
  memberLotIds,
  organisationApplications,
  isDynamicMarket,
  type ApplicationView,
  type Condition,
} from "#app/modules/tendering/dynamic-markets";
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { ConditionsFlow } from "#app/web/conditions.server";
import type { PortalContext } from "#app/web/context";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

export interface ApplicationPage {
  actor: Actor;
  view: TenderView;
  open: boolean;
  conditions: Condition[];
  applications: ApplicationView[];
  /** The latest application, if any. */
  latest: ApplicationView | null;
  memberLotIds: string[];
}

export async function applicationPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<ApplicationPage> {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view || !isDynamicMarket(view.tender)) throw notFound();
  const actor = authorise(request, portal, "market.apply", tenderThing(view));
  const [conditions, applications, members] = await Promise.all([
    marketConditions(portal.db, view.tender.id),
    organisationApplications(portal.db, view.tender.id, actor.organisationId),
    memberLotIds(portal.db, view.tender.id, actor.organisationId),
  ]);
  return { actor, view, open: marketOpen(view.tender, new Date()), conditions, applications, latest: applications[0] ?? null, memberLotIds: members };
}

/** A page that changes the draft: without a draft (or once the market has closed), back to the overview. */
export async function draftApplicationPage(request: Request, portal: PortalContext, tenderId: string | undefined) {
  const page = await applicationPage(request, portal, tenderId);
  if (!page.latest || page.latest.status !== "draft" || !page.open) throw redirect(applyPath(page.view.tender.id));
  return page as ApplicationPage & { latest: ApplicationView };
}


/** The application's condition, check and file pages (app/web/conditions.server.ts). */
export const applyFlow: ConditionsFlow = {
  kind: "market",
  path: applyPath,
  draftPage: async (request, portal, tenderId) => {
    const page = await draftApplicationPage(request, portal, tenderId);
    return { ...page, draft: page.latest };
  },
  // A market runs for years: a library document need only not have expired.
  evidenceDeadline: () => null,
  answer: answerCondition,
  submit: submitApplication,
  problems: applicationProblems,
  submitted: { title: "Your application has been submitted", body: "The council will admit or refuse it. Everyone at your organisation will be emailed its decision." },
};
