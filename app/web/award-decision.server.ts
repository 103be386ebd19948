// What the Portfolio Holder's consultation page and the Chief Officer's
// decision page share: the page starts from the recommendation (found and
// asked of the policy as the award pages do) and its latest round, or a
// redirect back to the recommendation when it is not at a step this page
// takes; the form sent is checked, saved and answered the same way.
import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import type { AwardRecommendationStatus, Trx } from "#app/database/schema";
import type { Recommendation } from "#app/modules/awards/recommendations";
import type { ActionContext } from "#app/modules/identity/actor";
import type { RoundView } from "#app/components/awards/Recommendation";
import { actionContext, type Flash, type PortalContext } from "./context";
import { recommendationFor, roundViews } from "./awards.server";
import { fieldErrors, keptValues } from "./forms";
import { refusalErrors } from "./refusals";

export async function roundToActOn(
  request: Request,
  portal: PortalContext,
  id: string | undefined,
  action: "award.consult" | "award.decide",
  statuses: readonly AwardRecommendationStatus[],
): Promise<{ recommendation: Recommendation; latest: RoundView; page: { id: string; tenderTitle: string; content: RoundView["content"]; route: string } }> {
  const { recommendation } = await recommendationFor(request, portal, id, action);
  const latest = roundViews(recommendation).at(-1);
  if (!latest || !statuses.includes(recommendation.status)) throw redirect(`/decisions/${recommendation.id}`);
  return { recommendation, latest, page: { id: recommendation.id, tenderTitle: recommendation.tender.title, content: latest.content, route: latest.route } };
}

/**
 * The consultation response or the decision sent: who may is asked before the
 * body is read, the form is checked with its schema, the module's step runs in
 * one transaction, then back to the recommendation with a banner. A refusal
 * comes back beside the field with what was typed kept.
 */
export async function actOnRound<T>(
  request: Request,
  portal: PortalContext,
  id: string | undefined,
  action: "award.consult" | "award.decide",
  step: {
    form: z.ZodType<T>;
    save: (trx: Trx, input: NoInfer<T> & { recommendationId: string }, ctx: ActionContext, links: { baseUrl: string }) => Promise<void>;
    done: (input: NoInfer<T>) => Flash;
  },
) {
  const { recommendation: rec } = await recommendationFor(request, portal, id, action);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = step.form.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => step.save(trx, { recommendationId: rec.id, ...parsed.data }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values }, { status: 400 });
  }
  return redirect(`/decisions/${rec.id}`, { headers: { "Set-Cookie": portal.flashCookie(step.done(parsed.data)) } });
}
