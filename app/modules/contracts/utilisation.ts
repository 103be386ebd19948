// A signed block or short-breaks contract becomes the placements market's
// utilisation contract (decision 038): its provider (or the council's
// commissioning officer) names the homes and the beds in each, or the nights a
// year at each home, and the block_contract (or one short_break_contract per
// home) is created at the contract's frozen price, linked to it, in one
// audited transaction. Done once; the link is never changed.
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { formatPence } from "#app/modules/agreements/agreements";
import { isoDate, isUniqueViolation, longDate, ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeUsersWithRole } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { nightsRange, writeBlockContract } from "#app/modules/utilisation/block-beds";
import { writeShortBreakContract } from "#app/modules/utilisation/short-breaks";
import { CONTRACT_KIND_LABELS, getContract, type ContractView } from "./contracts";

registerAuditActions({
  "contract.utilisation_set_up": "Named a contract's homes and beds for utilisation",
});

/** Nights a year a home can give at most: a night per registered place per day. */
export const NIGHTS_A_YEAR_PER_PLACE = 365;

export type UtilisationKind = "block" | "short_breaks";

/** Which utilisation a contract kind becomes, or null for agreements whose children are placed by call-off. */
export function utilisationKindOf(kind: ContractView["kind"]): UtilisationKind | null {
  if (kind === "block_contract") return "block";
  if (kind === "short_breaks_contract") return "short_breaks";
  return null;
}

export interface LinkedUtilisation {
  linkedAt: Date;
  linkedBy: string | null;
  block: { id: string; reference: string; beds: number } | null;
  shortBreaks: { id: string; reference: string; homeName: string; nightsPerYear: number }[];
}

/** What the contract became in utilisation, or null when nothing is linked yet. */
export async function linkedUtilisation(db: Reader, contractId: string): Promise<LinkedUtilisation | null> {
  const rows = await db
    .selectFrom("contract_utilisation as l")
    .leftJoin("app_user as u", "u.id", "l.linked_by")
    .leftJoin("block_contract as b", "b.id", "l.block_contract_id")
    .leftJoin("short_break_contract as s", "s.id", "l.short_break_contract_id")
    .leftJoin("home as h", "h.id", "s.home_id")
    .select([
      "l.linked_at",
      "u.full_name",
      "b.id as block_id",
      "b.reference as block_reference",
      sql<number>`(SELECT count(*)::int FROM block_bed bb WHERE bb.contract_id = b.id)`.as("beds"),
      "s.id as short_id",
      "s.reference as short_reference",
      "s.nights_per_year",
      "h.name as home_name",
    ])
    .where("l.contract_id", "=", contractId)
    .orderBy("h.name")
    .execute();
  if (rows.length === 0) return null;
  const block = rows.find((r) => r.block_id);
  return {
    linkedAt: rows[0]!.linked_at,
    linkedBy: rows[0]!.full_name,
    block: block ? { id: block.block_id!, reference: block.block_reference!, beds: block.beds } : null,
    shortBreaks: rows
      .filter((r) => r.short_id)
      .map((r) => ({ id: r.short_id!, reference: r.short_reference!, homeName: r.home_name!, nightsPerYear: r.nights_per_year! })),
  };
}

export interface HomeChoice {
  id: string;
  name: string;
  registeredPlaces: number;
  /** Beds of the home already in other block contracts on some of the contract's nights. */
  heldByOtherBlocks: number;
}

/** The provider's homes, with their places and the beds other block contracts hold during these nights. */
export async function providerHomes(db: Reader, providerId: string, nights: { firstNight: string; lastNight: string }): Promise<HomeChoice[]> {
  const range = nightsRange(nights.firstNight, nights.lastNight);
  return db
    .selectFrom("home as h")
    .select([
      "h.id",
      "h.name",
      "h.registered_places as registeredPlaces",
      // Beds are numbered beds of the home (decision 024): one held by contracts one after another counts once.
      sql<number>`(SELECT (count(DISTINCT b.bed_number) + count(*) FILTER (WHERE b.bed_number IS NULL))::int
                     FROM block_bed b WHERE b.home_id = h.id AND b.nights && ${range}::daterange)`.as("heldByOtherBlocks"),
    ])
    .where("h.organisation_id", "=", providerId)
    .orderBy("h.name")
    .execute();
}

export interface UtilisationPrice {
  amountPence: number;
  unit: "week" | "night";
  description: string;
}

/** The frozen price the beds (a week) or nights (a night) are paid at, from the contract's price schedule. */
export function utilisationPrice(contract: Pick<ContractView, "kind" | "prices">): UtilisationPrice | null {
  const unit = contract.kind === "block_contract" ? "week" : "night";
  const price = contract.prices.find((p) => p.unit === unit);
  return price ? { amountPence: price.amountPence, unit, description: price.description } : null;
}

/** Who may name the contract's beds: the provider's users, or the council's commissioning officers. */
function mayName(actor: Actor, contract: ContractView): boolean {
  if (actor.organisationKind === "provider") return actor.organisationId === contract.providerId && actor.roles.includes("provider_user");
  return actor.organisationId === contract.councilId && actor.roles.includes("commissioning_officer");
}

export interface SetUpUtilisationInput {
  contractId: string;
  firstNight: string;
  lastNight: string;
  /** Per home: the beds in it (block contract) or its nights a year (short breaks). Homes left out or at 0 are not in the contract. */
  homes: { homeId: string; count: number }[];
}

/**
 * Names the signed contract's homes and beds (or nights a year) and creates
 * the utilisation contract linked to it. Refuses, each beside its field: a
 * contract not yet signed or already set up, nights outside the contract,
 * another provider's home, more beds than the home's registered places (less
 * those other block contracts hold), and a contract with no price to pay them at.
 */
export async function setUpUtilisation(
  trx: Trx,
  input: SetUpUtilisationInput,
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ blockContractId: string | null; shortBreakContractIds: string[] }> {
  const actor = ctx.actor;
  const contract = await getContract(trx, input.contractId, actor);
  if (!mayName(actor!, contract)) throw new ActionRefused("Only the provider, or the council's commissioning officers, name the contract's beds", "form");
  const kind = utilisationKindOf(contract.kind);
  if (!kind) throw new ActionRefused(`A ${CONTRACT_KIND_LABELS[contract.kind].toLowerCase()} has no beds of its own: children are placed through call-offs and placements`, "form");
  // One at a time per contract: of two people at once, the second is told it is done.
  const row = await trx
    .selectFrom("contract")
    .innerJoin("tender", "tender.id", "contract.tender_id")
    .select(["contract.status", "contract.lot_id", "tender.agreement_id", "contract.created_by"])
    .where("contract.id", "=", contract.id)
    .forUpdate("contract")
    .executeTakeFirstOrThrow();
  if (row.status !== "accepted") {
    throw new ActionRefused(row.status === "declined" ? "This contract was declined, so it has no beds" : "The beds are named once the provider has accepted the contract", "form");
  }
  const done = await linkedUtilisation(trx, contract.id);
  if (done) throw new ActionRefused(`The ${kind === "block" ? "beds" : "homes"} of this contract were named by ${done.linkedBy ?? "the portal"} on ${longDate(ukDate(done.linkedAt))}`, "form");
  const price = utilisationPrice(contract);
  if (!price) throw new ActionRefused(`The contract's price schedule has no price a ${kind === "block" ? "week per bed" : "night"}, so its ${kind === "block" ? "beds" : "nights"} cannot be costed`, "form");

  const firstNight = isoDate(input.firstNight, "firstNight", "first night");
  const lastNight = isoDate(input.lastNight, "lastNight", "last night");
  if (lastNight < firstNight) throw new ActionRefused("The last night must be the same as or after the first night", "lastNight");
  const runs = `The contract runs from ${longDate(contract.startOn)} to ${longDate(contract.endOn)}`;
  if (firstNight < contract.startOn || firstNight > contract.endOn) throw new ActionRefused(`${runs}: the first night must be in that period`, "firstNight");
  if (lastNight > contract.endOn) throw new ActionRefused(`${runs}: the last night must be in that period`, "lastNight");

  const chosen = input.homes.filter((h) => h.count !== 0);
  if (chosen.length === 0) throw new ActionRefused(kind === "block" ? "Enter the number of beds in at least one home" : "Enter the nights a year in at least one home", "homes");
  // The homes are locked first, as setting up beds and making placements lock them, so two set-ups cannot both take a home's last places.
  await trx.selectFrom("home").select("id").where("organisation_id", "=", contract.providerId).orderBy("id").forUpdate().execute();
  const homes = await providerHomes(trx, contract.providerId, { firstNight, lastNight });
  const seen = new Set<string>();
  const lines = chosen.map((line) => {
    const field = `home-${line.homeId}`;
    const home = homes.find((h) => h.id === line.homeId);
    if (!home) throw new ActionRefused(`Choose homes of ${contract.providerName}: one of the homes given is not one of theirs`, "homes");
    if (seen.has(home.id)) throw new ActionRefused(`${home.name} is given twice`, field);
    seen.add(home.id);
    if (!Number.isInteger(line.count) || line.count < 0) {
      throw new ActionRefused(`Enter the ${kind === "block" ? "beds" : "nights a year"} in ${home.name} as a whole number, 0 or more`, field);
    }
    if (kind === "block") {
      if (line.count > home.registeredPlaces) {
        throw new ActionRefused(`${home.name} is registered for ${places(home.registeredPlaces)}: it cannot have ${line.count} contracted beds`, field);
      }
      const free = home.registeredPlaces - home.heldByOtherBlocks;
      if (line.count > free) {
        const held = `${home.name} is registered for ${places(home.registeredPlaces)} and ${home.heldByOtherBlocks} ${home.heldByOtherBlocks === 1 ? "is" : "are"} in other block contracts on some of these nights`;
        throw new ActionRefused(free > 0 ? `${held}: at most ${free} more` : `${held}: it has no beds left to contract`, field);
      }
    } else {
      const most = home.registeredPlaces * NIGHTS_A_YEAR_PER_PLACE;
      if (line.count > most) throw new ActionRefused(`${home.name} is registered for ${places(home.registeredPlaces)}: at most ${most.toLocaleString("en-GB")} nights a year`, field);
    }
    return { home, count: line.count };
  });

  let blockContractId: string | null = null;
  const shortBreakContractIds: string[] = [];
  const refused = (error: unknown) => {
    if (isUniqueViolation(error, "block_contract_reference_key") || isUniqueViolation(error, "short_break_contract_reference_key")) {
      throw new ActionRefused(`A utilisation contract with the reference ${contract.reference} already exists: ask an administrator to check it`, "form");
    }
    throw error;
  };
  if (kind === "block") {
    const made = await writeBlockContract(
      trx,
      {
        reference: contract.reference,
        title: contract.title.slice(0, 200),
        agreementId: row.agreement_id,
        lotId: row.lot_id,
        providerId: contract.providerId,
        firstNight,
        lastNight,
        beds: lines.flatMap(({ home, count }) => Array.from({ length: count }, (_, i) => ({ homeId: home.id, label: `Bed ${i + 1}`, weeklyPricePence: price.amountPence }))),
      },
      ctx,
    ).catch(refused);
    blockContractId = made.contractId;
    await trx.insertInto("contract_utilisation").values({ contract_id: contract.id, block_contract_id: made.contractId, linked_at: ctx.now, linked_by: actor?.userId ?? null }).execute();
  } else {
    for (const [i, { home, count }] of lines.entries()) {
      const made = await writeShortBreakContract(
        trx,
        {
          reference: lines.length === 1 ? contract.reference : `${contract.reference}-H${i + 1}`,
          agreementId: row.agreement_id,
          homeId: home.id,
          firstNight,
          lastNight,
          nightsPerYear: count,
          nightlyPricePence: price.amountPence,
        },
        ctx,
      ).catch(refused);
      shortBreakContractIds.push(made.contractId);
      await trx
        .insertInto("contract_utilisation")
        .values({ contract_id: contract.id, short_break_contract_id: made.contractId, linked_at: ctx.now, linked_by: actor?.userId ?? null })
        .execute();
    }
  }

  const name = `${CONTRACT_KIND_LABELS[contract.kind].toLowerCase()} ${contract.reference}`;
  const named = lines.map(({ home, count }) => (kind === "block" ? `${home.name}: ${count} ${count === 1 ? "bed" : "beds"}` : `${home.name}: ${count} nights a year`));
  const nights = `${longDate(firstNight)} to ${longDate(lastNight)}`;
  await recordAuditEvent(trx, ctx, {
    action: "contract.utilisation_set_up",
    summary: `${actor?.name ?? "The portal"} named the ${kind === "block" ? "beds" : "homes"} of the ${name} with ${contract.providerName}, now counted in ${kind === "block" ? "block bed utilisation" : "short breaks"}`,
    subjects: [
      { type: "contract", id: contract.id },
      ...(blockContractId ? [{ type: "block_contract", id: blockContractId }] : []),
      ...shortBreakContractIds.map((id) => ({ type: "short_break_contract", id })),
      ...lines.map(({ home }) => ({ type: "home", id: home.id })),
    ],
    after: {
      Homes: named,
      Nights: nights,
      [kind === "block" ? "Price a week per bed" : "Price a night"]: formatPence(price.amountPence),
    },
  });

  // The other side is told: the officer who made the contract when the provider names them, the provider's users when an officer does.
  const recipients =
    actor?.organisationKind === "provider"
      ? await trx.selectFrom("app_user").select(["email", "full_name"]).where("id", "=", row.created_by).where("status", "=", "active").execute()
      : await activeUsersWithRole(trx, [contract.providerId], "provider_user");
  for (const person of recipients) {
    await queueEmail(trx, {
      to: person.email,
      template: {
        name: "contract_utilisation_set_up",
        props: {
          recipientName: person.full_name,
          contractName: name,
          namedBy: actor ? `${actor.name} of ${actor.organisationName}` : "The portal",
          homes: named,
          nights,
          counted: kind === "block" ? "block bed utilisation" : "short breaks",
          url: `${links.baseUrl}/contracts/${contract.id}`,
        },
      },
    });
  }
  return { blockContractId, shortBreakContractIds };
}

function places(n: number): string {
  return `${n} ${n === 1 ? "child" : "children"}`;
}
