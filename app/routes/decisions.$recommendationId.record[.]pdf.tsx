// The decision record of a decided award recommendation as a PDF (rendered
// in the PDF worker), for whoever may read /decisions/<id> (award.view).
// Before it is approved or rejected there is no decision to record.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { STATUS_WORDS } from "#app/components/awards/Recommendation";
import { barredFromDeciding, declaredConflicts } from "#app/modules/awards/decision-record";
import { recommendationFor, roundViews } from "#app/web/awards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { recommendation: rec } = await recommendationFor(request, portal, params.recommendationId, "award.view");
  if (!["approved", "approved_with_conditions", "rejected"].includes(rec.status)) {
    throw new Response("There is no decision record yet: the recommendation has not been approved or rejected.", { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const [barred, conflicts] = await Promise.all([barredFromDeciding(portal.db, rec.id), declaredConflicts(portal.db, rec.tender.id)]);
  // The page's words for each round, with its dates kept as dates for the PDF.
  const rounds = roundViews(rec).map((v, i) => {
    const r = rec.rounds[i]!;
    return {
      ...v,
      submittedAt: r.submittedAt,
      consultation: v.consultation && r.consultation ? { ...v.consultation, respondedAt: r.consultation.respondedAt } : null,
      decision: v.decision && r.decision ? { ...v.decision, decidedAt: r.decision.decidedAt } : null,
    };
  });
  const pdf = await portal.pdf.render({
    document: "decision-record",
    input: { tenderTitle: rec.tender.title, status: STATUS_WORDS[rec.status]?.text ?? rec.status, authors: rec.authors.map((a) => a.name), rounds, barred, conflicts, generatedAt: new Date() },
  });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="decision-record.pdf"`, "Cache-Control": "private, no-store" },
  });
}
