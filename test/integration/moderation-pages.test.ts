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
import * as moderationPage from "#app/routes/tenders.$tenderId.evaluation.moderation.$questionId";
import { generateAward, type GeneratedAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { useTestDatabase } from "#test/support/database";
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
    // Only the listed answers' texts are read and sent.
    expect(second.answers.every((a) => a.text.length > 0 && a.scores?.length === 3)).toBe(true);
  });

  it("moderates answer 26 from the second page and comes back to that page, with the agreed score shown", async () => {
    const second = await open("?page=2");
    const a26 = second.answers[0]!;
    const saved = await save("?page=2", { submissionId: a26.submissionId, replacesId: "", [`agreedScore-${a26.key}`]: "3", [`rationale-${a26.key}`]: "Agreed at 3 after discussion" });
    expect(saved).toMatchObject({ status: 302, location: path("?page=2") });
    const after = await open("?page=2");
    expect(after.answers[0]).toMatchObject({ submissionId: a26.submissionId, moderation: expect.objectContaining({ score: 3, rationale: "Agreed at 3 after discussion" }) });
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
    expect(flagged.answers.every((a) => a.wide && (a.spread ?? 0) >= 2)).toBe(true);
    const open29 = await open("?show=unagreed&page=2");
    expect(open29).toMatchObject({ listed: 29, page: 2, first: 26 });
    expect(open29.answers).toHaveLength(4);
    expect(open29.answers.every((a) => a.moderation === null)).toBe(true);
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
    expect((await open()).answers[0]!.moderation).toMatchObject({ score: 2, rationale: "Thin on practice" });
  });
});
