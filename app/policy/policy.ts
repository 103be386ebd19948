// The one place that decides who may do what. Every loader and action asks
// `may(actor, action, thing)` on the server. A provider asking about another
// provider's record is told it does not exist (404), not that it is forbidden,
// so ids cannot be probed.
import type { Role, TenderStatus } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";

export type Decision =
  | { allowed: true }
  | { allowed: false; status: 401 | 403 | 404; reason: string };

/** What an action is about, where the answer depends on the thing. */
export type Thing =
  | { kind: "organisation"; id: string; organisationKind: "council" | "provider" }
  | { kind: "home"; organisationId: string }
  | { kind: "user"; id: string; organisationId: string }
  /** councilId: the lead council of the tender's agreement (tenderThing in the tendering module). */
  | { kind: "tender"; councilId: string; status: TenderStatus; everPublished: boolean }
  /** A block contract and its beds: providerId is the contract's provider (decision 018). */
  | { kind: "blockContract"; providerId: string };

type Rule = { roles: readonly Role[] } | { check: (actor: Actor, thing: Thing | undefined) => Decision };

const COUNCIL_STAFF: readonly Role[] = [
  "commissioning_officer",
  "evaluator",
  "chief_officer",
  "portfolio_holder",
  "administrator",
];
const OFFICERS: readonly Role[] = ["commissioning_officer", "chief_officer", "administrator"];

const ALLOW: Decision = { allowed: true };
const hidden = (reason: string): Decision => ({ allowed: false, status: 404, reason });

/** A provider sees its own organisation's things; council staff see all. */
function ownOrCouncil(actor: Actor, organisationId: string | undefined): Decision {
  if (actor.organisationKind === "council" && hasAny(actor, COUNCIL_STAFF)) return ALLOW;
  if (actor.roles.includes("provider_user") && organisationId === actor.organisationId) return ALLOW;
  return hidden("belongs to another organisation");
}

/** A home's vacancies and Statement of Purpose are kept by its own provider's users, no one else. */
function ownHomeAsProvider(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "home") return hidden("no home given");
  if (actor.organisationKind === "provider" && actor.roles.includes("provider_user") && actor.organisationId === thing.organisationId) return ALLOW;
  if (actor.organisationKind === "council" && hasAny(actor, COUNCIL_STAFF)) {
    return { allowed: false, status: 403, reason: "only the home's provider keeps this up to date" };
  }
  return hidden("belongs to another organisation");
}

/** Tenders are run by the commissioning officers of the council that leads the agreement. */
function managesTender(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "tender") return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  return actor.roles.includes("commissioning_officer")
    ? ALLOW
    : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
}

/**
 * A draft is the leading council's business; once published, anyone may read
 * it (the public /tenders pages), cancelled or not. A draft cancelled before
 * publication stays the council's.
 */
export function mayReadTender(actor: Actor | null, thing: Extract<Thing, { kind: "tender" }>): Decision {
  if (thing.everPublished) return ALLOW;
  if (actor && actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, COUNCIL_STAFF)) return ALLOW;
  return hidden("a draft tender of another organisation");
}

const RULES = {
  "dashboard.view": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "agreement.list": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "agreement.view": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "organisation.list": { roles: COUNCIL_STAFF },
  "organisation.view": {
    check: (actor, thing) => (thing?.kind === "organisation" ? ownOrCouncil(actor, thing.id) : hidden("no organisation given")),
  },
  "home.list": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "home.view": {
    check: (actor, thing) => (thing?.kind === "home" ? ownOrCouncil(actor, thing.organisationId) : hidden("no home given")),
  },
  "audit.browse": { roles: OFFICERS },
  "audit.export": { roles: OFFICERS },
  "audit.checkpoint": { roles: ["administrator"] },
  "user.list": { roles: ["administrator"] },
  "user.invite": { roles: ["administrator"] },
  "user.changeRoles": { roles: ["administrator"] },
  "user.deactivate": { roles: ["administrator"] },
  "email.viewSent": { roles: ["administrator"] },
  // thing: the agreement's lead council as a draft tender ({ kind: "tender", councilId, status: "draft" }).
  "tender.create": { check: managesTender },
  "tender.manage": { check: managesTender },
  "tender.history": {
    check: (actor, thing) => {
      if (thing?.kind !== "tender") return hidden("no tender given");
      if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
      return hasAny(actor, OFFICERS) ? ALLOW : { allowed: false, status: 403, reason: `needs one of: ${OFFICERS.join(", ")}` };
    },
  },
  "tender.registerInterest": {
    check: (actor, thing) => {
      if (thing?.kind !== "tender" || !thing.everPublished) return hidden("no such tender");
      return actor.organisationKind === "provider" && actor.roles.includes("provider_user")
        ? ALLOW
        : { allowed: false, status: 403, reason: "only providers register interest" };
    },
  },
  // The placements market (decision 015). thing: the home ({ kind: "home", organisationId }).
  "vacancy.manage": { check: ownHomeAsProvider },
  "home.editStatementOfPurpose": { check: ownHomeAsProvider },
  "home.viewSuspension": {
    check: (actor, thing) => (thing?.kind === "home" ? ownOrCouncil(actor, thing.organisationId) : hidden("no home given")),
  },
  "placement.search": { roles: ["commissioning_officer"] },
  "home.suspend": { roles: ["commissioning_officer"] },
  "home.liftSuspension": { roles: ["commissioning_officer"] },
  "postcodeDistrict.import": { roles: ["administrator"] },
  // Block beds and short breaks (issue 9, decision 018). thing: { kind: "blockContract", providerId }.
  // A provider sees and reports on its own contracts only; another's is not found.
  "blockBeds.view": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "blockContract.view": {
    check: (actor, thing) => (thing?.kind === "blockContract" ? ownOrCouncil(actor, thing.providerId) : hidden("no contract given")),
  },
  "bedUnavailability.record": {
    check: (actor, thing) => {
      if (thing?.kind !== "blockContract") return hidden("no contract given");
      if (actor.organisationKind === "provider") return ownOrCouncil(actor, thing.providerId);
      return actor.roles.includes("commissioning_officer") ? ALLOW : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
    },
  },
  "bedOccupancy.record": {
    check: (actor, thing) => {
      if (thing?.kind !== "blockContract") return hidden("no contract given");
      const seen = ownOrCouncil(actor, thing.providerId);
      if (!seen.allowed) return seen;
      return actor.organisationKind === "council" && actor.roles.includes("commissioning_officer")
        ? ALLOW
        : { allowed: false, status: 403, reason: "only commissioning officers record who is in a bed" };
    },
  },
  "shortBreaks.view": { roles: COUNCIL_STAFF },
  "shortBreak.book": { roles: ["commissioning_officer"] },
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;

function hasAny(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function may(actor: Actor | null, action: Action, thing?: Thing): Decision {
  if (!actor) return { allowed: false, status: 401, reason: "not signed in" };
  const rule: Rule = RULES[action];
  if ("check" in rule) return rule.check(actor, thing);
  return hasAny(actor, rule.roles) ? ALLOW : { allowed: false, status: 403, reason: `needs one of: ${rule.roles.join(", ")}` };
}

export function allowed(actor: Actor | null, action: Action, thing?: Thing): boolean {
  return may(actor, action, thing).allowed;
}

export const ACTIONS = Object.keys(RULES) as Action[];
