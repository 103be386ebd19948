// The demo's evidence libraries: each demo provider has documents in every
// state a newcomer should see (current, expiring within 30 days, expired, a
// renewed one with its earlier version, one without expiry), as real PDFs.
import { describe, expect, it } from "vitest";
import { getEvidence, listEvidence } from "#app/modules/evidence/evidence";
import { readFile } from "#app/modules/files/files";
import { evidenceFile } from "#app/modules/evidence/evidence";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
await seedDemo(db);

describe("the demo's evidence libraries", () => {
  it.each(["provider@harbour-light.example", "provider@moorland-care.example"])("give %s's provider a current, an expiring, an expired, a renewed and an undated document", async (email) => {
    const user = await db.selectFrom("app_user").select("organisation_id").where("email", "=", email).executeTakeFirstOrThrow();
    const docs = await listEvidence(db, user.organisation_id, new Date());
    expect(docs.map((d) => d.status).sort()).toEqual(["current", "current", "current", "expired", "expiring"]);
    expect(docs.filter((d) => d.expiresOn === null).map((d) => d.kind)).toEqual(["safeguarding_policy"]);
    const renewed = docs.find((d) => d.kind === "professional_indemnity_insurance")!;
    expect((await getEvidence(db, user.organisation_id, renewed.id, new Date()))!.versions).toHaveLength(2);
    const file = (await evidenceFile(db, user.organisation_id, docs[0]!.id))!;
    expect(file.contentType).toBe("application/pdf");
    const parts: Buffer[] = [];
    for await (const part of readFile(db, file)) parts.push(part);
    const pdf = Buffer.concat(parts).toString("latin1");
    expect(pdf.startsWith("%PDF-1.4")).toBe(true);
    expect(pdf).toContain("%%EOF");
  });
});
