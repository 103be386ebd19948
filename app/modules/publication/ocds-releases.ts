// OCDS publication (decision 028). Each published change to a tender is
// written, in the transaction that makes it, as the OCDS 1.1 release the
// public is given: "tender" on publication, "tenderAmendment" for each
// amendment, "tenderCancellation" when a published tender is cancelled
// (award and contract stages join when those decisions are recorded). The
// stored release is what was said at that moment; the export streams them.
import type { Organisation, Reader, Trx } from "#app/database/schema";
import { listAmendments } from "#app/modules/tendering/publication";
import { ocdsTender } from "#app/modules/tendering/ocds";
import { getTender, type TenderView } from "#app/modules/tendering/tenders";
import { ukTimeToUtc } from "#app/modules/tendering/timeline";

/** OCDS release tags the portal publishes (closed codelist releaseTag.csv). */
export type ReleaseTag = "tender" | "tenderAmendment" | "tenderCancellation" | "award" | "awardUpdate" | "contract" | "contractUpdate";

/**
 * The publisher's ocid prefix: "ocds-" and six characters, registered with
 * the Open Contracting Partnership (README, "OCDS"). The default marks data
 * from a portal that has not registered one.
 */
export function ocidPrefix(): string {
  return process.env.OCDS_OCID_PREFIX?.trim() || "ocds-portal";
}

export function ocidFor(tenderId: string): string {
  return `${ocidPrefix()}-${tenderId}`;
}

/** The schemes Find a Tender uses for UK organisations, strongest first. */
export function organisationIdentifiers(org: Pick<Organisation, "ppon" | "companies_house_number" | "charity_number">) {
  const all = [
    org.ppon ? { scheme: "GB-PPON", id: org.ppon } : null,
    org.companies_house_number ? { scheme: "GB-COH", id: org.companies_house_number } : null,
    org.charity_number ? { scheme: "GB-CHC", id: org.charity_number } : null,
  ].filter((i): i is { scheme: string; id: string } => i !== null);
  return { identifier: all[0], additionalIdentifiers: all.length > 1 ? all.slice(1) : undefined };
}

export function organisationParty(
  org: Pick<Organisation, "id" | "name" | "ppon" | "companies_house_number" | "charity_number" | "address_line1" | "address_line2" | "town" | "postcode">,
  roles: string[],
) {
  const { identifier, additionalIdentifiers } = organisationIdentifiers(org);
  const street = [org.address_line1, org.address_line2].filter(Boolean).join(", ");
  const address = street || org.town || org.postcode
    ? { streetAddress: street || undefined, locality: org.town ?? undefined, postalCode: org.postcode ?? undefined, countryName: "United Kingdom" }
    : undefined;
  return { id: org.id, name: org.name, identifier: identifier && { ...identifier, legalName: org.name }, additionalIdentifiers, address, roles };
}

/** Pounds as OCDS wants them (a number), from whole pence. */
const money = (pence: number) => ({ amount: pence / 100, currency: "GBP" });

interface NoticeLots {
  lots: { lotId: string; suppliers: { organisationId: string; name: string }[] }[];
  valuePence: number;
}

/**
 * The awards stage, from the contract award notices published for the
 * tender (as published: who was awarded each lot) and what became of them
 * at `at`: one award per lot awarded, "pending" while its standstill runs,
 * "active" once it has ended (or where none applied), "cancelled" once a
 * challenge to it was upheld. The standstill period and the day assessment
 * summaries went out are named as Find a Tender's UK extension names them.
 */
async function awardsStage(db: Reader, view: TenderView, at: Date) {
  const notices = await db
    .selectFrom("award_notice")
    .select(["id", "recommendation_id", "published_at", "content", "standstill", "standstill_first_day", "standstill_ends_at"])
    .where("tender_id", "=", view.tender.id)
    .where("published_at", "<=", at)
    .orderBy("published_at")
    .execute();
  if (notices.length === 0) return { awards: undefined, supplierIds: [] as string[] };
  const upheld = new Set(
    (
      await db
        .selectFrom("award_challenge")
        .innerJoin("award_challenge_resolution", "award_challenge_resolution.challenge_id", "award_challenge.id")
        .select("award_challenge.notice_id")
        .where("award_challenge.tender_id", "=", view.tender.id)
        .where("award_challenge_resolution.outcome", "in", ["upheld_reevaluate", "upheld_cancel"])
        .where("award_challenge_resolution.resolved_at", "<=", at)
        .execute()
    ).map((r) => r.notice_id),
  );
  // Each award's own summaries: a second award after a re-evaluation sends its own.
  const summaries = new Map(
    (
      await db
        .selectFrom("assessment_summary_sending")
        .select(["recommendation_id", "sent_at"])
        .where("tender_id", "=", view.tender.id)
        .where("sent_at", "<=", at)
        .execute()
    ).map((r) => [r.recommendation_id, r.sent_at] as const),
  );
  const lotNumber = new Map(view.lots.map((l) => [l.id, l] as const));
  const supplierIds = new Set<string>();
  const awards = notices.flatMap((n) => {
    const content = n.content as unknown as NoticeLots;
    const awarded = content.lots.filter((l) => l.suppliers.length > 0);
    const status = upheld.has(n.id) ? "cancelled" : n.standstill_ends_at && at < n.standstill_ends_at ? "pending" : "active";
    return awarded.map((l) => {
      for (const s of l.suppliers) supplierIds.add(s.organisationId);
      const lot = lotNumber.get(l.lotId);
      return {
        id: `${n.id}-lot-${lot?.number ?? l.lotId}`,
        title: lot ? `Award of lot ${lot.number}: ${lot.title}` : "Award",
        status,
        date: n.published_at.toISOString(),
        // The notice's value covers the whole award: it belongs to one lot's award only when one lot was awarded.
        value: awarded.length === 1 ? money(content.valuePence) : undefined,
        suppliers: l.suppliers.map((s) => ({ id: s.organisationId, name: s.name })),
        relatedLots: lot ? [String(lot.number)] : undefined,
        standstillPeriod:
          n.standstill !== "none" && n.standstill_first_day && n.standstill_ends_at
            ? { startDate: ukMidnight(n.standstill_first_day), endDate: n.standstill_ends_at.toISOString() }
            : undefined,
        assessmentSummariesDateSent: summaries.get(n.recommendation_id)?.toISOString(),
      };
    });
  });
  return { awards, supplierIds: [...supplierIds] };
}

/**
 * The contracts stage: the framework agreements or contracts made from the
 * tender's awards by `at`, each tied to its lot's award: "pending" while the
 * provider has not accepted, "active" once it has (dateSigned: when it
 * accepted), "cancelled" if it declined.
 */
async function contractsStage(db: Reader, view: TenderView, at: Date) {
  const rows = await db
    .selectFrom("contract")
    .leftJoin("award_notice", "award_notice.recommendation_id", "contract.recommendation_id")
    .select([
      "contract.id",
      "contract.reference",
      "contract.title",
      "contract.lot_id",
      "contract.start_on",
      "contract.end_on",
      "contract.value_pence",
      "contract.status",
      "contract.responded_at",
      "award_notice.id as notice_id",
    ])
    .where("contract.tender_id", "=", view.tender.id)
    .where("contract.created_at", "<=", at)
    .orderBy("contract.reference")
    .execute();
  if (rows.length === 0) return undefined;
  const lotNumber = new Map(view.lots.map((l) => [l.id, l.number] as const));
  return rows.map((c) => {
    const answered = c.responded_at !== null && c.responded_at <= at;
    const status = !answered ? "pending" : c.status === "accepted" ? "active" : "cancelled";
    return {
      id: c.id,
      awardID: `${c.notice_id ?? c.id}-lot-${lotNumber.get(c.lot_id) ?? c.lot_id}`,
      title: `${c.reference}: ${c.title}`,
      status,
      period: { startDate: ukMidnight(c.start_on), endDate: ukTimeToUtc(`${isoDay(c.end_on)}T23:59`, "contract", "The contract's last day").toISOString() },
      value: money(Number(c.value_pence)),
      dateSigned: status === "active" ? c.responded_at!.toISOString() : undefined,
    };
  });
}

const isoDay = (day: string | Date): string => (typeof day === "string" ? day : day.toISOString().slice(0, 10));

/** The instant a UK day begins, for a period's start. */
function ukMidnight(day: string | Date): string {
  const iso = typeof day === "string" ? day : day.toISOString().slice(0, 10);
  return ukTimeToUtc(`${iso}T00:00`, "standstill", "The first day of standstill").toISOString();
}

async function tenderRelease(db: Reader, view: TenderView, tag: ReleaseTag, at: Date, releaseId: string) {
  const t = view.tender;
  const buyer = await db.selectFrom("organisation").selectAll().where("id", "=", view.agreement.leadCouncilId).executeTakeFirstOrThrow();
  const ocid = ocidFor(t.id);
  const lotValues = view.lots.map((l) => l.estimatedValuePence).filter((v): v is number => v !== null);
  const related = await relatedProcesses(db, t);
  const { awards, supplierIds } = await awardsStage(db, view, at);
  const contracts = await contractsStage(db, view, at);
  const suppliers = supplierIds.length ? await db.selectFrom("organisation").selectAll().where("id", "in", supplierIds).orderBy("name").execute() : [];
  const awardedLots = new Set((awards ?? []).filter((a) => a.status !== "cancelled").flatMap((a) => a.relatedLots ?? []));
  const estimated = lotValues.length === view.lots.length && lotValues.length > 0 ? money(lotValues.reduce((a, b) => a + b, 0)) : undefined;
  // The budget line the award was approved against, once there is one (the recommendation as decided).
  const approved = await db
    .selectFrom("award_recommendation")
    .select("budget_line")
    .where("tender_id", "=", t.id)
    .where("status", "in", ["approved", "approved_with_conditions"])
    .where("updated_at", "<=", at)
    .executeTakeFirst();
  return {
    ocid,
    id: releaseId,
    date: at.toISOString(),
    tag: [tag],
    initiationType: "tender",
    language: "en",
    parties: [organisationParty(buyer, ["buyer", "procuringEntity"]), ...suppliers.map((s) => organisationParty(s, ["supplier"]))],
    buyer: { id: buyer.id, name: buyer.name },
    planning: {
      rationale: t.summary || undefined,
      budget: estimated || approved ? { description: approved?.budget_line || "The lots' estimated values added up", amount: estimated } : undefined,
    },
    tender: {
      ...ocdsTender(view, await listAmendments(db, t.id)),
      id: t.id,
      procuringEntity: { id: buyer.id, name: buyer.name },
      // Find a Tender's UK extension names the light-touch regime here.
      specialRegime: t.light_touch ? ["lightTouch"] : undefined,
      value: estimated,
      // Find a Tender's UK extension: the deadline for requests to participate, in a two-stage competitive flexible tender.
      expressionOfInterestDeadline: t.participation_stage ? t.participation_deadline_at?.toISOString() : undefined,
      lots: view.lots.map((l) => ({
        id: String(l.number),
        title: l.title,
        status: t.status === "cancelled" ? "cancelled" : awardedLots.has(String(l.number)) ? "complete" : "active",
        value: l.estimatedValuePence === null ? undefined : money(l.estimatedValuePence),
      })),
    },
    awards,
    contracts,
    relatedProcesses: related,
  };
}

/**
 * The contracting processes a tender follows on from, by ocid: an open
 * framework's re-opening names the framework it re-opens ("prior"); a
 * call-off competition names the dynamic market (or framework) it calls off
 * ("framework": OCDS's code for a process that follows on from the one that
 * set up the framework, whose award lists the suppliers who may take part),
 * with that process's own title, as the schema asks.
 */
async function relatedProcesses(db: Reader, t: TenderView["tender"]) {
  const related: { id: string; relationship: string[]; title: string; scheme: "ocid"; identifier: string }[] = [];
  if (t.reopens_tender_id) {
    related.push({ id: String(related.length + 1), relationship: ["prior"], title: "The open framework this tender re-opens", scheme: "ocid", identifier: ocidFor(t.reopens_tender_id) });
  }
  if (t.calls_off_tender_id) {
    const parent = await db.selectFrom("tender").select(["id", "title"]).where("id", "=", t.calls_off_tender_id).executeTakeFirstOrThrow();
    related.push({ id: String(related.length + 1), relationship: ["framework"], title: parent.title, scheme: "ocid", identifier: ocidFor(parent.id) });
  }
  return related.length > 0 ? related : undefined;
}

/**
 * Writes the release for a change just made to a tender, inside that
 * change's transaction (it locks the tender's row, so numbering is in
 * order). Its id is the ocid, a running number and the tag.
 */
export async function recordTenderRelease(trx: Trx, input: { tenderId: string; tag: ReleaseTag; at: Date }): Promise<{ ocid: string; releaseId: string }> {
  // Numbered in order: changes to one tender's record (two providers signing at once, say) take turns here.
  await trx.selectFrom("tender").select("id").where("id", "=", input.tenderId).forUpdate().execute();
  const view = await getTender(trx, input.tenderId);
  if (!view) throw new Error(`No tender ${input.tenderId} to publish`);
  const ocid = ocidFor(view.tender.id);
  const { count } = await trx
    .selectFrom("ocds_release")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("ocid", "=", ocid)
    .executeTakeFirstOrThrow();
  const releaseId = `${ocid}-${Number(count) + 1}-${input.tag}`;
  const release = await tenderRelease(trx, view, input.tag, input.at, releaseId);
  await trx
    .insertInto("ocds_release")
    .values({ tender_id: view.tender.id, ocid, release_id: releaseId, tags: [input.tag], released_at: input.at, release: JSON.stringify(release) })
    .execute();
  return { ocid, releaseId };
}

/** True when any release has this ocid (the export answers 404 otherwise). */
export async function ocidExists(db: Reader, ocid: string): Promise<boolean> {
  const row = await db.selectFrom("ocds_release").select("seq").where("ocid", "=", ocid).limit(1).executeTakeFirst();
  return row !== undefined;
}

const BATCH = 200;

/**
 * The release package, as text in pieces: the package's own fields, then
 * each release as stored, read in batches of 200 by publication order, so a
 * thousand tenders' releases never sit in memory as one document.
 */
export async function* releasePackage(
  db: Reader,
  input: { ocid?: string; uri: string; publisherName: string; publishedAt: Date },
): AsyncGenerator<string> {
  const head = {
    uri: input.uri,
    version: "1.1",
    publishedDate: input.publishedAt.toISOString(),
    publisher: { name: input.publisherName },
    license: "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
  };
  const opening = JSON.stringify(head);
  yield `${opening.slice(0, -1)},"releases":[`;
  let after = "0";
  let first = true;
  for (;;) {
    let query = db.selectFrom("ocds_release").select(["seq", "release"]).where("seq", ">", after).orderBy("seq").limit(BATCH);
    if (input.ocid !== undefined) query = query.where("ocid", "=", input.ocid);
    const rows = await query.execute();
    if (rows.length === 0) break;
    let chunk = "";
    for (const r of rows) {
      chunk += (first ? "" : ",") + JSON.stringify(r.release);
      first = false;
    }
    yield chunk;
    after = rows.at(-1)!.seq;
    if (rows.length < BATCH) break;
  }
  yield "]}";
}

/** Who publishes: the consortium running the portal when there is one, else its lead council. */
export async function publisherName(db: Reader): Promise<string> {
  const consortia = await db.selectFrom("consortium").select("name").orderBy("created_at").limit(2).execute();
  if (consortia.length === 1) return consortia[0]!.name;
  const council = await db.selectFrom("organisation").select("name").where("kind", "=", "council").orderBy("created_at").limit(1).executeTakeFirst();
  return council?.name ?? "Children's Placements Portal";
}

/**
 * Tenders published before the portal kept releases (migration 0021) get
 * theirs once: a "tender" release dated when they were published and, for a
 * cancelled one, its "tenderCancellation". Those are built from the tender as
 * it is now (with its amendments listed), which the rationale says. Runs in
 * the background loop; a tender another instance is handling is skipped.
 */
export async function publishEarlierTenders(trx: Trx): Promise<number> {
  const missing = await trx
    .selectFrom("tender")
    .select(["id", "status", "published_at", "cancelled_at"])
    .where("published_at", "is not", null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("ocds_release").select("seq").whereRef("ocds_release.tender_id", "=", "tender.id"))))
    .orderBy("published_at")
    .limit(100)
    .forUpdate()
    .skipLocked()
    .execute();
  for (const t of missing) {
    await recordTenderRelease(trx, { tenderId: t.id, tag: "tender", at: t.published_at! });
    if (t.status === "cancelled" && t.cancelled_at) await recordTenderRelease(trx, { tenderId: t.id, tag: "tenderCancellation", at: t.cancelled_at });
  }
  return missing.length;
}
