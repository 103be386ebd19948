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
  /** A tender's documents pack or clarifications as the actor meets them: interested is the actor's organisation's interest. */
  | { kind: "tenderPack"; councilId: string; everPublished: boolean; interested: boolean }
  /** A clarification question: the organisation that asked, and whether its answer is published. */
  | { kind: "clarification"; councilId: string; everPublished: boolean; organisationId: string; published: boolean };

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

/** The officers of the council that leads the tender's agreement. */
function officersOfLeadCouncil(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "tender") return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  return hasAny(actor, OFFICERS) ? ALLOW : { allowed: false, status: 403, reason: `needs one of: ${OFFICERS.join(", ")}` };
}

/** The lead council's staff, and providers that registered interest; a provider without interest is told to register it. */
function readsTenderPack(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "tenderPack") return hidden("no tender given");
  const leadStaff = actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, COUNCIL_STAFF);
  if (leadStaff) return ALLOW;
  if (!thing.everPublished) return hidden("a draft tender of another organisation");
  if (actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    return { allowed: false, status: 403, reason: "only the lead council's staff and providers that registered interest" };
  }
  return thing.interested ? ALLOW : { allowed: false, status: 403, reason: "register interest in this tender first" };
}

/**
 * A published clarification answer is for everyone who may read the tender;
 * a question not yet answered, or answered privately, only for the
 * organisation that asked it and the lead council's officers (not its
 * evaluators, who are not to know which provider asked what). Anyone else
 * is told it does not exist.
 */
export function mayReadClarification(actor: Actor | null, thing: Extract<Thing, { kind: "clarification" }>): Decision {
  if (thing.everPublished && thing.published) return ALLOW;
  if (!actor) return hidden("not published");
  if (actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, OFFICERS)) return ALLOW;
  if (actor.organisationKind === "provider" && actor.roles.includes("provider_user") && actor.organisationId === thing.organisationId) return ALLOW;
  return hidden("another organisation's clarification question");
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
  "tender.history": { check: officersOfLeadCouncil },
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
  // Clarifications and the tender's documents pack (issue 8). thing: the tender
  // ({ kind: "tender" }) to change them, { kind: "tenderPack" } to read the pack
  // or ask, { kind: "clarification" } for one question.
  "tenderDocument.manage": { check: managesTender },
  "tenderDocument.download": { check: readsTenderPack },
  "clarification.ask": {
    check: (actor, thing) => {
      if (thing?.kind !== "tenderPack" || !thing.everPublished) return hidden("no such tender");
      if (actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
        return { allowed: false, status: 403, reason: "only providers ask clarification questions" };
      }
      return thing.interested ? ALLOW : { allowed: false, status: 403, reason: "register interest in this tender first" };
    },
  },
  "clarification.answer": { check: managesTender },
  "clarification.viewAll": { check: officersOfLeadCouncil },
  "clarification.view": {
    check: (actor, thing) => (thing?.kind === "clarification" ? mayReadClarification(actor, thing) : hidden("no question given")),
  },
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
