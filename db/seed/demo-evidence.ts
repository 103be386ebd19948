// The demo providers' evidence libraries, added through the evidence module
// as each provider's demo user: an Ofsted registration, insurance
// certificates (one renewed, keeping its earlier version; one expiring within
// 30 days; one expired) and a safeguarding policy, each a one-page PDF.
import type { Kysely } from "kysely";
import type { Database, EvidenceKind } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { addDays, addEvidence, replaceEvidence } from "#app/modules/evidence/evidence";
import { actorForUser } from "#app/modules/identity/sessions";

/** A one-page PDF saying what it is, so a downloaded demo document opens in any viewer. */
export function demoPdf(lines: string[]): Uint8Array {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");
  const text = lines.map((line, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 56 ${780 - i * 24} Td (${escape(line)}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

const DAY = 86_400_000;

interface DemoDocument {
  kind: EvidenceKind;
  title: string;
  /** Days from the seed's day to its expiry, or null; negative: already expired. */
  expiresInDays: number | null;
  /** Renewed once: the earlier version expired this many days before the current one was uploaded. */
  renewedFromDays?: number;
}

const DOCUMENTS: DemoDocument[] = [
  { kind: "ofsted_registration", title: "Ofsted registration certificate", expiresInDays: 400 },
  { kind: "public_liability_insurance", title: "Public liability insurance, policy PL-40021", expiresInDays: 21 },
  { kind: "employers_liability_insurance", title: "Employer's liability insurance, policy EL-77310", expiresInDays: -12 },
  { kind: "professional_indemnity_insurance", title: "Professional indemnity insurance, policy PI-5120", expiresInDays: 250, renewedFromDays: 115 },
  { kind: "safeguarding_policy", title: "Safeguarding and child protection policy", expiresInDays: null },
];

export async function seedDemoEvidence(db: Kysely<Database>, providerUserEmails: string[], now: Date): Promise<void> {
  const today = ukDate(now);
  for (const email of providerUserEmails) {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirst();
    if (!user) continue;
    const actor = await actorForUser(db, user.id, null);
    for (const doc of DOCUMENTS) {
      const expiresOn = doc.expiresInDays === null ? null : addDays(today, doc.expiresInDays);
      // Uploaded a year before it expires (or a month ago), so an expired one was valid when it was added.
      const uploadedAt = new Date(now.getTime() - (doc.expiresInDays !== null && doc.expiresInDays < 0 ? 365 + doc.expiresInDays : 30) * DAY);
      const ctx = (at: Date) => ({ actor, requestId: "seed:demo:evidence", clientAddress: null, now: at });
      const file = (title: string, validTo: string | null) => ({
        fileName: `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.pdf`,
        contents: demoPdf([title, actor.organisationName, validTo ? `Valid until ${validTo}` : "No expiry date", "Demo document: fictional."]),
      });
      await db.transaction().execute(async (trx) => {
        if (doc.renewedFromDays && expiresOn) {
          const earlierExpiry = addDays(today, doc.expiresInDays! - 365);
          const earlier = await addEvidence(
            trx,
            { organisationId: actor.organisationId, kind: doc.kind, title: doc.title, expiresOn: earlierExpiry, file: file(doc.title, earlierExpiry) },
            ctx(new Date(now.getTime() - 400 * DAY)),
          );
          await replaceEvidence(
            trx,
            { organisationId: actor.organisationId, documentId: earlier.id, expiresOn, file: file(doc.title, expiresOn) },
            ctx(new Date(now.getTime() - doc.renewedFromDays * DAY)),
          );
          return;
        }
        await addEvidence(trx, { organisationId: actor.organisationId, kind: doc.kind, title: doc.title, expiresOn, file: file(doc.title, expiresOn) }, ctx(uploadedAt));
      });
    }
  }
}
