// What every bid page's loader and action does first: the tender (404 for a
// draft or unknown id), the policy's bid.edit, and the acting provider's own
// draft. The draft is found through the actor's organisation only. The
// tender and whether the provider has a bid come in one statement; only the
// pages that show the whole draft load it (an answer's save, an upload or a
// submission never do: the module reads what it changes).
import type { Actor } from "#app/modules/identity/actor";
import { bidTenderHead, loadOwnBid, ownBidAnswer, ownBidQuestion, type BidDraft, type BidTenderHead, type OwnBidQuestion } from "#app/modules/tendering/bids";
import { tenderThing } from "#app/modules/tendering/tenders";
import type { PortalContext } from "./context";
import { authorise, notFound, requireActor } from "./guard.server";

export interface BidRequest {
  actor: Actor;
  view: BidTenderHead;
}

export interface BidPage extends BidRequest {
  draft: BidDraft | null;
}

/** The tender and the policy's answer, with the provider's bid's id if it has one. */
export async function bidRequest(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidRequest> {
  requireActor(request, portal);
  const view = await bidTenderHead(portal.db, tenderId ?? "", portal.actor);
  if (!view) throw notFound();
  const actor = authorise(request, portal, "bid.edit", tenderThing(view));
  return { actor, view };
}

/** As bidRequest, for a started draft: without one, not found. */
export async function startedBidRequest(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidRequest & { view: { bid: NonNullable<BidTenderHead["bid"]> } }> {
  const page = await bidRequest(request, portal, tenderId);
  if (!page.view.bid || page.view.tender.status === "draft") throw notFound();
  return page as BidRequest & { view: { bid: NonNullable<BidTenderHead["bid"]> } };
}

export async function bidPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidPage> {
  const page = await bidRequest(request, portal, tenderId);
  return { ...page, draft: await loadOwnBid(portal.db, page.view) };
}

/** The page for a started draft: without one, back to the bid's overview to start it. */
export async function startedBidPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidPage & { draft: BidDraft }> {
  const page = await bidPage(request, portal, tenderId);
  if (!page.draft) throw notFound();
  return page as BidPage & { draft: BidDraft };
}

/** One question of a started draft that is part of the bid (its lots ask it), or not found. */
export async function bidQuestionRequest(request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }): Promise<BidRequest & { question: OwnBidQuestion }> {
  const page = await startedBidRequest(request, portal, params.tenderId);
  const question = await ownBidQuestion(portal.db, page.view, params.questionId ?? "");
  if (!question?.applies) throw notFound();
  return { ...page, question };
}

/** The question's page: as bidQuestionRequest, with its saved answer and files. */
export async function bidQuestionPage(request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }) {
  const page = await bidQuestionRequest(request, portal, params);
  return { ...page, ...(await ownBidAnswer(portal.db, page.view.bid!.id, page.question.id)) };
}
