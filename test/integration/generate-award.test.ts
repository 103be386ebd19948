// The award bench's generator: an evaluation at the price stage built by real
// inserts that the evaluation module reads as it reads one made through the
// pages, and published tenders with their OCDS releases.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { renderEvaluationReportPdf } from "#app/modules/evaluation/EvaluationReport.pdf";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { questionModeration } from "#app/modules/evaluation/moderation";
import { evaluationReport, reportPdfLots } from "#app/modules/evaluation/report";
import { evaluationOverview } from "#app/modules/evaluation/stages";
import { actorForUser } from "#app/modules/identity/sessions";
import { generateAward, type GeneratedAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();

describe("the award generator", () => {
  let award: GeneratedAward;
  beforeAll(async () => {
    await generateDataSet(db, { seed: "award-test", councils: 1, providers: 14, homesPerProvider: 1, usersPerCouncil: 15, audit: "batch" });
    award = await generateAward(db, { seed: "award-test", bids: 12, qualityQuestions: 12, publishedTenders: 20 });
  }, 120_000);

  it("makes an evaluation at the price stage with three scores and an agreed score for every answer", async () => {
    expect(award).toMatchObject({ counting: 12, questions: 12, evaluators: 3, publishedTenders: 20 });
    expect(award.scores).toBe(award.moderations * 3);
    expect(award.moderations).toBe(12 * 12);
    const officer = await actorForUser(db, award.officerIds[0], null);
    const overview = await evaluationOverview(db, award.tenderId, officer);
    expect(overview.evaluation?.stage).toBe("price");
    // Nothing holds the stage: every bid checked, every answer scored by all three and agreed.
    expect(overview.blockers).toEqual([]);
    expect(overview.progress.every((p) => p.answers === 12 && p.scored === 12 && p.moderated === 12)).toBe(true);
    const page = await questionModeration(db, { tenderId: award.tenderId, questionId: award.questionId }, officer);
    expect(page.answers).toHaveLength(12);
    expect(page.answers.every((a) => a.scores?.length === 3 && a.moderation !== null)).toBe(true);
    const report = await evaluationReport(db, award.tenderId, officer);
    if (!report?.ready) throw new Error("the report should be ready");
    const ranked = report.lots.flatMap((l) => l.result.bids.filter((b) => b.rank !== null));
    expect(ranked.length).toBeGreaterThan(0);
  });

  it("puts every bid's scores by question in the report PDF, over as many pages as they take", async () => {
    const officer = await actorForUser(db, award.officerIds[0], null);
    const report = await evaluationReport(db, award.tenderId, officer);
    if (!report?.ready) throw new Error("the report should be ready");
    const lots = reportPdfLots(report.lots);
    const pdf = await renderEvaluationReportPdf({ tenderTitle: report.tenderTitle, bidders: report.bidders, lots, panel: report.panel, generatedAt: new Date() });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-report-")), "report.pdf");
    fs.writeFileSync(file, pdf);
    const text = (await promisify(execFile)("/usr/bin/pdftotext", ["-layout", "-enc", "UTF-8", file, "-"])).stdout;
    const info = (await promisify(execFile)("/usr/bin/pdfinfo", [file])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(info).toMatch(/^Title:\s+Evaluation report: /m);
    // Each bid's line for each question of its lot: number, agreed score (* below the minimum), points, the three evaluators' own scores.
    const expected = lots.reduce((n, lot) => n + lot.scores.reduce((m, b) => m + b.lines.length, 0), 0);
    expect(expected).toBeGreaterThanOrEqual(12 * 6);
    expect(text.match(/\d+\.\d+ +\d of 5\*? +\d+\.\d\d +\d, \d, \d/g)?.length).toBe(expected);
    const flat = text.replace(/\s+/g, " ");
    for (const lot of lots) {
      // Every bid in the ranking, every scored bid's name again over its lines, every question with its scale and evaluators.
      for (const b of lot.ranking) expect(flat).toContain(b.bidder);
      for (const b of lot.scores) expect(flat.split(b.bidder).length - 1).toBeGreaterThanOrEqual(2);
      for (const q of lot.questions) expect(flat).toContain(`${q.label} (${q.about}). Scored by ${q.evaluators.join(", ")}.`);
    }
    // Every page has its header and its number of the whole; the panel comes last, after every lot: nothing was cut off before it.
    expect(pages).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
    expect(text.match(/Children's Placements Portal/g)?.length).toBe(pages);
    expect(flat).toContain("The panel and their declarations");
    for (const member of report.panel) expect(flat).toContain(member.name);
  });

  it("publishes an OCDS release for every published tender, and keeps the audit trail whole", async () => {
    const published = await db.selectFrom("tender").select("id").where("published_at", "is not", null).execute();
    expect(published).toHaveLength(21);
    expect(award.ocdsReleases).toBe(21);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
