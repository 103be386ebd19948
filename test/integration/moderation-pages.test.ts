// The moderation page of a question with more answers than fit on one page,
// called through its real loader and action: 30 bids' answers come 25 a
// page by provider name, the officer reaches and moderates answer 26 on the
// second page and is brought back to it, lists only the wide spreads or only
// the answers still without an agreed score, keeps what they typed when a
// save is refused, and is told whose agreed score stands when someone else
// saved first.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { questionModeration } from "#app/modules/evaluation/moderation";
import { latestScores, submitScore } from "#app/modules/evaluation/scores";
import * as moderationPage from "#app/routes/tenders.$tenderId.evaluation.moderation.$questionId";
import { generateAward, type GeneratedAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { escapeHtml } from "#app/web/html.server";
import { useTestDatabase } from "#test/support/database";
import { contextOf } from "#test/support/tendering";
import { answer, portalContext, post } from "#test/support/portal-context";

const { db } = await useTestDatabase();
let award: GeneratedAward;
let officer: Actor;
let secondOfficer: Actor;

beforeAll(async () => {
  await generateDataSet(db, { seed: "moderation-pages", councils: 1, providers: 32, homesPerProvider: 1, usersPerCouncil: 15, audit: "batch" });
  // Every answer scored by three evaluators, none agreed yet: moderation about to start.
  award = await generateAward(db, { seed: "moderation-pages", bids: 30, qualityQuestions: 2, publishedTenders: 0, agreed: false });
  officer = await actorForUser(db, award.officerIds[0], null);
  secondOfficer = await actorForUser(db, award.officerIds[1], null);
}, 120_000);

const path = (query = "") => `/tenders/${award.tenderId}/evaluation/moderation/${award.questionId}${query}`;
const params = () => ({ tenderId: award.tenderId, questionId: award.questionId });

type Page = NonNullable<Awaited<ReturnType<typeof moderationPage.loader>>["page"]>;
async function open(query = "", as: Actor = officer): Promise<Page> {
  const result = await moderationPage.loader({ request: new Request(`http://portal.test${path(query)}`), params: params(), context: portalContext(db, as) });
  if (!result.page) throw new Error(`the moderation page was refused: ${result.refusal}`);
  return result.page;
}
/** The answer's read-only part, written as HTML (a loader called directly, as after a link followed in the page, gives it as a string). */
const shown = (a: Page["answers"][number]) => {
  if (typeof a.shown !== "string") throw new Error("expected the answer's markup as a string");
  return a.shown;
};
const save = (query: string, fields: Record<string, string>, as: Actor = officer) => answer(() => moderationPage.action({ request: post(path(query), fields), params: params(), context: portalContext(db, as) }));

describe("the moderation page, a page of answers at a time", () => {
  it("lists 25 answers a page by provider name, and the second page from answer 26 on", async () => {
    const everything = await questionModeration(db, { tenderId: award.tenderId, questionId: award.questionId }, officer);
    const names = everything.answers.map((a) => a.organisationName);
    expect(names).toHaveLength(30);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const first = await open();
    expect(first).toMatchObject({ page: 1, pages: 2, first: 1, listed: 30, show: "all" });
    expect(first.answers.map((a) => a.provider)).toEqual(names.slice(0, 25));
    expect(first.answers.map((a) => a.position)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const second = await open("?page=2");
    expect(second).toMatchObject({ page: 2, pages: 2, first: 26 });
    expect(second.answers.map((a) => a.provider)).toEqual(names.slice(25));
    expect(second.answers[0]!.position).toBe(26);
    // Each listed answer with its text and its three evaluators' scores.
    second.answers.forEach((a, i) => {
      expect(shown(a)).toContain(escapeHtml(everything.answers[25 + i]!.answerText.split("\n")[0]!));
      expect(shown(a).match(/<tr class="govuk-table__row"><td/g)).toHaveLength(3);
    });
  });

  it("moderates answer 26 from the second page and comes back to that page, with the agreed score shown", async () => {
    const second = await open("?page=2");
    const a26 = second.answers[0]!;
    const saved = await save("?page=2", { submissionId: a26.submissionId, replacesId: "", [`agreedScore-${a26.key}`]: "3", [`rationale-${a26.key}`]: "Agreed at 3 after discussion" });
    expect(saved).toMatchObject({ status: 302, location: path("?page=2") });
    const after = await open("?page=2");
    expect(after.answers[0]).toMatchObject({ submissionId: a26.submissionId, agreed: expect.objectContaining({ score: 3 }) });
    expect(shown(after.answers[0]!)).toContain("<dd class=\"govuk-summary-list__value\"><p class=\"govuk-body\">Agreed at 3 after discussion</p></dd>");
    expect(after.counts.unagreed).toBe(29);
  });

  it("lists only the answers whose scores spread widely, or only those still without an agreed score", async () => {
    const everything = await questionModeration(db, { tenderId: award.tenderId, questionId: award.questionId }, officer);
    const wide = everything.answers.filter((a) => a.wideSpread).map((a) => a.organisationName);
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.length).toBeLessThan(30);
    const flagged = await open("?show=wide");
    expect(flagged.counts).toEqual({ all: 30, wide: wide.length, unagreed: 29 });
    expect(flagged.answers.map((a) => a.provider)).toEqual(wide);
    for (const a of flagged.answers) {
      expect(shown(a)).toContain("Wide spread: discuss");
      expect(shown(a)).toMatch(/Evaluators&#39; scores: spread of [2-5] points/);
    }
    expect(shown((await open()).answers.find((a) => !wide.includes(a.provider))!)).not.toContain("Wide spread");
    const open29 = await open("?show=unagreed&page=2");
    expect(open29).toMatchObject({ listed: 29, page: 2, first: 26 });
    expect(open29.answers).toHaveLength(4);
    expect(open29.answers.every((a) => a.agreed === null)).toBe(true);
  });

  it("sends a page after the last to the last page of the same list", async () => {
    const thrown = await moderationPage.loader({ request: new Request(`http://portal.test${path("?show=wide&page=9")}`), params: params(), context: portalContext(db, officer) }).then(
      () => null,
      (error: unknown) => error as Response,
    );
    expect(thrown?.status).toBe(302);
    expect(thrown?.headers.get("Location")).toBe(path("?show=wide"));
  });

  it("keeps what the officer typed when a save is refused, against that answer's own fields", async () => {
    const second = await open("?page=2");
    const a27 = second.answers[1]!;
    const refused = await save("?page=2", { submissionId: a27.submissionId, replacesId: "", [`agreedScore-${a27.key}`]: "4", [`rationale-${a27.key}`]: "   " });
    expect(refused.status).toBe(400);
    expect(refused.data?.errors).toEqual({ [`rationale-${a27.key}`]: "Write the rationale for the agreed score" });
    expect(refused.data?.values).toMatchObject({ [`agreedScore-${a27.key}`]: "4" });
    expect(refused.data?.key).toBe(a27.key);
  });

  it("refuses a stale save and names who recorded the score that stands", async () => {
    const first = await open();
    const a1 = first.answers[0]!;
    // Both officers opened the page while answer 1 had no agreed score; the second saves first.
    expect((await save("", { submissionId: a1.submissionId, replacesId: "", [`agreedScore-${a1.key}`]: "2", [`rationale-${a1.key}`]: "Thin on practice" }, secondOfficer)).status).toBe(302);
    const stale = await save("", { submissionId: a1.submissionId, replacesId: "", [`agreedScore-${a1.key}`]: "4", [`rationale-${a1.key}`]: "Strong examples" });
    expect(stale.status).toBe(400);
    expect(stale.data?.errors.form).toBe(`${secondOfficer.name} recorded an agreed score of 2 for this answer while you were moderating it. Their score stands: read their rationale and record yours only if it should change.`);
    expect(stale.data?.values).toMatchObject({ [`rationale-${a1.key}`]: "Strong examples" });
    const now = (await open()).answers[0]!;
    expect(now.agreed).toMatchObject({ score: 2 });
    expect(shown(now)).toContain("Thin on practice");
    expect(shown(now)).toContain(`${secondOfficer.name}, `);
  });

  it("shows markup in a justification and a rationale as text, never as markup", async () => {
    const first = await open();
    const a2 = first.answers[1]!;
    const [original] = await latestScores(db, award.tenderId, award.questionId).then((all) => all.filter((x) => x.submissionId === a2.submissionId));
    const evaluator = await actorForUser(db, original!.evaluatorId, null);
    const attack = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;
    await db.transaction().execute((trx) =>
      submitScore(trx, { tenderId: award.tenderId, submissionId: a2.submissionId, questionId: award.questionId, score: original!.score, justification: `Corrected: ${attack}`, replacesId: original!.id }, contextOf(evaluator)),
    );
    expect((await save("", { submissionId: a2.submissionId, replacesId: "", [`agreedScore-${a2.key}`]: "3", [`rationale-${a2.key}`]: `Agreed ${attack}` })).status).toBe(302);
    const markup = shown((await open()).answers[1]!);
    expect(markup).not.toMatch(/<script|<img/);
    expect(markup).toContain("Corrected: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;");
    expect(markup).toContain("Agreed &lt;script&gt;");
    expect(markup).toContain("(corrected)");
  });
});
