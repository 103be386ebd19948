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
  | { kind: "tender"; councilId: string; status: TenderStatus; everPublished: boolean; bidsOpened?: boolean }
  /** A tender's documents pack or clarifications as the actor meets them: interested is the actor's organisation's interest. */
  | { kind: "tenderPack"; councilId: string; everPublished: boolean; interested: boolean }
  /** A clarification question: the organisation that asked, and whether its answer is published. */
  | { kind: "clarification"; councilId: string; everPublished: boolean; organisationId: string; published: boolean }
  /** councilId: the council that sent the placement request. */
  | { kind: "placementRequest"; councilId: string }
  /** A block contract and its beds: providerId is the contract's provider (decision 018). */
  | { kind: "blockContract"; providerId: string }
  /** A placement: councilId is the council that made it. */
  | { kind: "placement"; councilId: string }
  /** A block bed's occupancy or unavailability record: providerId is the contract's provider. */
  | { kind: "bedRecord"; providerId: string; recordKind: "occupied" | "unavailable" }
  /** A framework agreement or contract after an award: the council that made it and the provider it is with. */
  | { kind: "contract"; councilId: string; providerId: string };

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

/**
 * A provider's own users, for their own organisation only: colleagues and the
 * evidence library. Council staff are refused (403) for now; council access to
 * evidence comes with bids after opening. Another provider's record is 404.
 */
function ownProviderOnly(actor: Actor, thing: Thing | undefined): Decision {
  if (actor.organisationKind === "council") return { allowed: false, status: 403, reason: "only the provider's own users" };
  if (!actor.roles.includes("provider_user")) return { allowed: false, status: 403, reason: "needs the provider user role" };
  if (thing?.kind !== "organisation" || thing.organisationKind !== "provider" || thing.id !== actor.organisationId) {
    return hidden("belongs to another organisation");
  }
  return ALLOW;
}

/** Tenders are run by the commissioning officers of the council that leads the agreement. */
function managesTender(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "tender") return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  return actor.roles.includes("commissioning_officer")
    ? ALLOW
    : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
}

/** Any staff role of the council that leads the tender's agreement. */
function tenderCouncilStaff(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "tender") return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  return hasAny(actor, COUNCIL_STAFF) ? ALLOW : { allowed: false, status: 403, reason: "needs a council staff role" };
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

/** A provider's user, about a tender that has been published (a draft does not exist for them). */
function providerOnPublishedTender(actor: Actor, thing: Thing | undefined, refusal: string): Decision {
  if (thing?.kind !== "tender" || !thing.everPublished) return hidden("no such tender");
  return actor.organisationKind === "provider" && actor.roles.includes("provider_user") ? ALLOW : { allowed: false, status: 403, reason: refusal };
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

/** Who takes part in an award decision: the officers who recommend, the Portfolio Holder and the Chief Officer. */
const AWARD_PEOPLE: readonly Role[] = ["commissioning_officer", "chief_officer", "portfolio_holder"];
/** Who reads whole opened bids (the opening module holds its queries to the same list, OPENED_BID_READERS there). */
const OPENED_BID_READERS = AWARD_PEOPLE;

/** One of `roles` at the council the tender belongs to; another council's tender is not found. */
function councilRole(actor: Actor, thing: Thing | undefined, roles: readonly Role[], refusal = `needs one of: ${roles.join(", ")}`): Decision {
  if (thing?.kind !== "tender") return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  return hasAny(actor, roles) ? ALLOW : { allowed: false, status: 403, reason: refusal };
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
  // Tender pages (issue 8). The list and a published tender are public
  // (mayReadTender); signed in, everyone gets the Tenders navigation item, and
  // commissioning officers see their own council's drafts on the list.
  "tender.list": { roles: [...COUNCIL_STAFF, "provider_user"] },
  "tender.listDrafts": {
    check: (actor) =>
      actor.organisationKind === "council" && actor.roles.includes("commissioning_officer")
        ? ALLOW
        : { allowed: false, status: 403, reason: "needs the commissioning officer role at a council" },
  },
  // The questionnaire builder (issue 8). thing: the tender (tenderThing). Editing is tender.manage;
  // the leading council's staff may read the questionnaire, draft or published; no one else knows it.
  "tender.viewQuestionnaire": {
    check: (actor, thing) => {
      if (thing?.kind !== "tender") return hidden("no tender given");
      if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId || !hasAny(actor, COUNCIL_STAFF)) return hidden("another organisation's tender");
      return ALLOW;
    },
  },
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
  // Provider sign-up, colleagues and the evidence library (issue 8). Lists are
  // always of the actor's own organisation; the rest take the document's or
  // invitation's organisation as thing ({ kind: "organisation", id, organisationKind }).
  "colleague.list": { roles: ["provider_user"] },
  "colleague.invite": { check: ownProviderOnly },
  "evidence.list": { roles: ["provider_user"] },
  "evidence.view": { check: ownProviderOnly },
  "evidence.manage": { check: ownProviderOnly },
  // Bids (issue 8). thing: the tender, with bidsOpened from the opening module for bid.readSubmitted.
  // A provider's own bid is found through its organisation, never by an id from the request.
  "bid.edit": {
    check: (actor, thing) => {
      if (thing?.kind !== "tender" || !thing.everPublished) return hidden("no such tender");
      return actor.organisationKind === "provider" && actor.roles.includes("provider_user")
        ? ALLOW
        : { allowed: false, status: 403, reason: "only providers bid" };
    },
  },
  // Which providers have submitted and when: the tender's council's staff, before and after opening.
  "bid.viewSubmissions": { check: (actor, thing) => tenderCouncilStaff(actor, thing) },
  // Whole bids: once two officers have opened them, the tender's officers and those who decide its award.
  // Evaluators read answers only through the evaluation pages (declarations first, prices sealed until
  // quality is moderated); administrators not at all.
  "bid.readSubmitted": {
    check: (actor, thing) => {
      const staff = tenderCouncilStaff(actor, thing);
      if (!staff.allowed) return staff;
      if (!hasAny(actor, OPENED_BID_READERS)) return { allowed: false, status: 403, reason: "evaluators read bids through the evaluation, administrators not at all" };
      return thing?.kind === "tender" && thing.bidsOpened === true
        ? ALLOW
        : { allowed: false, status: 403, reason: "bids are sealed until two officers open them" };
    },
  },
  "bid.open": { check: managesTender },
  // Placements market pages (issue 9): the navigation asks these, with no home in hand;
  // each page then asks the market actions above of the homes it shows.
  "vacancy.listOwn": { roles: ["provider_user"] },
  // Placement requests, offers and placements (decision 017). A council's requests are its own staff's
  // business (thing: { kind: "placementRequest", councilId }); a provider answers only requests sent to
  // its homes, which the module checks (anything else is not found).
  // Commissioning officers and the Chief Officer see their council's requests; provider users see those sent to their homes.
  "placementRequest.list": { roles: ["commissioning_officer", "chief_officer", "provider_user"] },
  "placementRequest.create": { roles: ["commissioning_officer"] },
  "placementRequest.view": {
    check: (actor, thing) =>
      thing?.kind === "placementRequest" && actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, ["commissioning_officer", "chief_officer"])
        ? ALLOW
        : hidden("another council's placement request"),
  },
  "placementRequest.manage": {
    check: (actor, thing) => {
      if (thing?.kind !== "placementRequest" || actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's placement request");
      return actor.roles.includes("commissioning_officer") ? ALLOW : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
    },
  },
  "placementRequest.respond": { roles: ["provider_user"] },
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
  // Award decisions (issue 10, decision 023). thing: the tender ({ kind: "tender", councilId }).
  // Officers draft; the Portfolio Holder is consulted and the Chief Officer decides; another
  // council's recommendation is not found. The module refuses anyone barred from a decision
  // (segregation of duties) with the reason.
  "award.recommend": { check: managesTender },
  "award.view": { check: (actor, thing) => councilRole(actor, thing, AWARD_PEOPLE) },
  "award.listWaiting": { roles: ["chief_officer", "portfolio_holder"] },
  // The administrator's own council's key-decision threshold (settings.ts checks the council).
  "award.setThreshold": { roles: ["administrator"] },
  "award.consult": { check: (actor, thing) => councilRole(actor, thing, ["portfolio_holder"]) },
  "award.decide": { check: (actor, thing) => councilRole(actor, thing, ["chief_officer"]) },

  // Evaluation (issue 10, decision 022). thing: the tender (tenderThing). Only the tender's council's
  // commissioning officers and evaluators; anyone else is told it does not exist. The module then holds
  // each evaluator to their panel places and conflict declarations.
  "evaluation.view": { check: (actor, thing) => evaluationStaff(actor, thing, ["commissioning_officer", "evaluator"]) },
  "evaluation.manage": { check: (actor, thing) => evaluationStaff(actor, thing, ["commissioning_officer"]) },
  "evaluation.score": { check: (actor, thing) => evaluationStaff(actor, thing, ["commissioning_officer", "evaluator"]) },
  "evaluation.moderate": { check: (actor, thing) => evaluationStaff(actor, thing, ["commissioning_officer"]) },
  // The evaluation report: the panel and the tender's officers, and those who decide the award (who read it
  // beside the recommendation); not administrators, nor another council.
  "evaluation.report": {
    check: (actor, thing) =>
      thing?.kind === "tender" && !thing.everPublished
        ? hidden("no tender given")
        : councilRole(actor, thing, [...AWARD_PEOPLE, "evaluator"], "the report is for the panel, the tender's officers and those who decide the award"),
  },

  // Dynamic markets (issue 8, decision 021). thing: the market's tender (tenderThing).
  // A provider applies, and sees its own applications (found through its
  // organisation, never an id); the lead council's officers see every submitted
  // application and the members; its commissioning officers decide and start
  // call-off competitions. Anyone else asking for an application is told it does not exist.
  "market.apply": { check: (actor, thing) => providerOnPublishedTender(actor, thing, "only providers apply to join a dynamic market") },
  "market.viewApplications": { check: officersOfLeadCouncil },
  "market.decideApplication": { check: managesTender },
  "market.startCallOff": { check: managesTender },

  // Re-evaluation after a challenge upheld (issue 10, decision 037). thing: the tender (tenderThing).
  // While the award is re-evaluated, the tender's commissioning officers change moderated scores, each
  // with a reason; those who take part in the award see what changed beside what it was.
  "awardReevaluation.changeScore": { check: managesTender },
  "awardReevaluation.changeCompliance": { check: managesTender },
  "awardReevaluation.view": { check: (actor, thing) => councilRole(actor, thing, AWARD_PEOPLE) },

  // Contracts into utilisation, and officers' files on contracts (issues 9 and 10, decision 038).
  // thing: { kind: "contract", councilId, providerId }. A signed block or short-breaks contract's beds
  // are named by its provider's users or the council's commissioning officers; only those officers add
  // files; whoever sees the contract downloads them. Another provider asking is told it does not exist.
  "contract.setUpUtilisation": {
    check: (actor, thing) => {
      const seen = seesContract(actor, thing);
      if (!seen.allowed) return seen;
      return actor.organisationKind === "provider" || actor.roles.includes("commissioning_officer")
        ? ALLOW
        : { allowed: false, status: 403, reason: "only the provider or the council's commissioning officers name the beds" };
    },
  },
  "contract.addFile": { check: (actor, thing) => contractOfficer(actor, thing) },
  "contract.downloadFile": { check: (actor, thing) => seesContract(actor, thing) },

  // Competitive flexible stages (issue 8, decision 035). thing: the tender (tenderThing).
  // A provider requests to participate and sees its own request and result (found through its
  // organisation, never an id); the lead council's officers see the submitted requests; its
  // commissioning officers choose the conditions' sections and assess each request. Anyone else
  // asking for a request is told it does not exist.
  "participation.request": { check: (actor, thing) => providerOnPublishedTender(actor, thing, "only providers request to participate") },
  "participation.viewRequests": { check: officersOfLeadCouncil },
  "participation.assess": { check: managesTender },
  "participation.chooseConditions": { check: managesTender },

  // Award notice and challenges (issue 10, decision 030). thing: the tender (tenderThing). The notice
  // itself is public once published (read through mayReadTender, like the tender); the tender's
  // commissioning officers publish it and record and resolve challenges; those who take part in the
  // award see where it stands; officers are shown standstills ending on their dashboard.
  "awardNotice.publish": { check: managesTender },
  "awardChallenge.view": { check: (actor, thing) => councilRole(actor, thing, AWARD_PEOPLE) },
  "awardChallenge.record": { check: managesTender },
  "awardChallenge.resolve": { check: managesTender },
  "awardNotice.listStandstills": { roles: ["commissioning_officer"] },

  // Contracts (issue 10, decision 031). thing: { kind: "contract", councilId, providerId }, or the
  // tender (tenderThing) for creating them. A council's staff see its contracts and its commissioning
  // officers create them (from an approved award) and record their notices; a provider's users see
  // and accept or decline their own. Anyone else asking for a contract is told it does not exist.
  "contract.list": { roles: ["commissioning_officer", "chief_officer", "provider_user"] },
  "contract.view": { check: (actor, thing) => seesContract(actor, thing) },
  "contract.create": { check: managesTender },
  "contract.respond": {
    check: (actor, thing) => {
      const seen = seesContract(actor, thing);
      if (!seen.allowed) return seen;
      return actor.organisationKind === "provider" ? ALLOW : { allowed: false, status: 403, reason: "only the provider accepts or declines its agreement" };
    },
  },
  "contract.recordNotice": { check: (actor, thing) => contractOfficer(actor, thing) },

  // Assessment summaries (issue 10, decision 029). thing: the tender (tenderThing) for council staff;
  // the bidder's organisation ({ kind: "organisation", organisationKind: "provider" }) for its users.
  // A commissioning officer of the tender's council sends them; those who take part in the award read
  // every bidder's; a provider reads only its own, and another provider's is not found.
  "assessmentSummary.send": { check: managesTender },
  "assessmentSummary.view": { check: (actor, thing) => councilRole(actor, thing, AWARD_PEOPLE) },
  "assessmentSummary.readOwn": { check: ownProviderOnly },

  // Placements (workflow) (issue 9): a council's placements are its own officers' and Chief Officer's to
  // see (thing: { kind: "placement", councilId }), its commissioning officers' to end; anyone else is not
  // found. A bed record is withdrawn by whoever may record it: occupancy by officers, unavailability also
  // by the contract's own provider (thing: { kind: "bedRecord", providerId, recordKind }).
  "placement.list": { roles: ["commissioning_officer", "chief_officer"] },
  "placement.view": {
    check: (actor, thing) =>
      thing?.kind === "placement" && actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, ["commissioning_officer", "chief_officer"])
        ? ALLOW
        : hidden("another council's placement"),
  },
  "placement.end": {
    check: (actor, thing) => {
      if (thing?.kind !== "placement" || actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's placement");
      return actor.roles.includes("commissioning_officer") ? ALLOW : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
    },
  },
  "bedRecord.withdraw": {
    check: (actor, thing) => {
      if (thing?.kind !== "bedRecord") return hidden("no record given");
      const seen = ownOrCouncil(actor, thing.providerId);
      if (!seen.allowed) return seen;
      if (actor.organisationKind === "council") {
        return actor.roles.includes("commissioning_officer") ? ALLOW : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
      }
      return thing.recordKind === "unavailable" ? ALLOW : { allowed: false, status: 403, reason: "only commissioning officers record who is in a bed" };
    },
  },
  "shortBreak.cancel": { roles: ["commissioning_officer"] },

  // Homes' weekly fees (issue 9, decision 033). thing: the home ({ kind: "home", organisationId }).
  // Anyone who may see the home sees its fee and history (home.view); only its own provider records a fee.
  "home.setWeeklyFee": { check: ownHomeAsProvider },
} satisfies Record<string, Rule>;

/** Evaluation is for officers and evaluators of the tender's council, once it is opened; others learn nothing of it. */
function evaluationStaff(actor: Actor, thing: Thing | undefined, roles: readonly Role[]): Decision {
  if (thing?.kind !== "tender" || !thing.everPublished) return hidden("no tender given");
  if (actor.organisationKind !== "council" || actor.organisationId !== thing.councilId) return hidden("another council's tender");
  if (!hasAny(actor, ["commissioning_officer", "evaluator"])) return hidden("evaluation is for officers and evaluators");
  return hasAny(actor, roles) ? ALLOW : { allowed: false, status: 403, reason: `needs one of: ${roles.join(", ")}` };
}

/** A contract is its council's staff's and its provider's users' to see; anyone else: not found. */
function seesContract(actor: Actor, thing: Thing | undefined): Decision {
  if (thing?.kind !== "contract") return hidden("no contract given");
  if (actor.organisationKind === "council" && actor.organisationId === thing.councilId && hasAny(actor, COUNCIL_STAFF)) return ALLOW;
  if (actor.organisationKind === "provider" && actor.organisationId === thing.providerId && actor.roles.includes("provider_user")) return ALLOW;
  return hidden("another organisation's contract");
}

/** A commissioning officer of the contract's council; its provider and other staff are refused, anyone else: not found. */
function contractOfficer(actor: Actor, thing: Thing | undefined): Decision {
  const seen = seesContract(actor, thing);
  if (!seen.allowed) return seen;
  return actor.organisationKind === "council" && actor.roles.includes("commissioning_officer")
    ? ALLOW
    : { allowed: false, status: 403, reason: "needs the commissioning officer role" };
}

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
