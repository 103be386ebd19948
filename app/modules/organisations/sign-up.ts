// Provider sign-up: a person registers their organisation and becomes its
// first user. The request is kept as a pending sign-up and nothing else is
// created until the emailed link is followed and a password chosen, so a
// typo'd address or a stranger's request leaves no organisation behind; an
// unfollowed link expires after 24 hours. The page answers the same whether
// or not the address already has an account: that person is emailed instead.
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { cleanText, isSendableAddress, isUniqueViolation, requiredText } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { passwordProblem } from "#app/modules/identity/passwords";
import { newSecret, secretHash } from "#app/modules/identity/tokens";
import { createActiveUser, normaliseEmail } from "#app/modules/identity/users";
import { queueEmail } from "#app/modules/outbox/outbox";
import { checkOrganisationDetails, createProvider, type CheckedOrganisationDetails, type OrganisationDetails } from "./organisations";

registerAuditActions({
  "provider_sign_up.requested": "Asked to register a provider",
  "provider_sign_up.account_exists": "Asked to register a provider with an address that has an account",
  "provider_sign_up.confirmed": "Confirmed a provider's registration",
});

export const SIGN_UP_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** At most this many sign-up emails to one address an hour, so the form cannot flood an inbox. */
export const SIGN_UPS_PER_ADDRESS_PER_HOUR = 5;
/** At most this many sign-ups an hour from one network address, so the form cannot be used to email strangers in bulk. */
export const SIGN_UPS_PER_CLIENT_PER_HOUR = 20;

const PPON = /^[A-Z]{4}-[0-9]{4}-[A-Z]{4}$/;

/** "abcd 1234 efgh", "ABCD1234EFGH" and "abcd-1234-efgh" all become "ABCD-1234-EFGH"; anything else is returned tidied, to be refused. */
export function normalisePpon(value: string): string {
  const compact = value.replace(/[\s-]+/g, "").toUpperCase();
  return /^[A-Z]{4}[0-9]{4}[A-Z]{4}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}` : value.trim().toUpperCase();
}

export interface SignUpInput extends OrganisationDetails {
  ppon: string;
  fullName: string;
  email: string;
}

export interface CheckedSignUp extends CheckedOrganisationDetails {
  ppon: string;
  fullName: string;
  email: string;
}

function checkPpon(typed: string | null | undefined): string {
  const ppon = normalisePpon(typed ?? "");
  if (ppon === "") throw new ActionRefused("Enter your organisation's PPON", "ppon");
  if (!PPON.test(ppon)) throw new ActionRefused("PPON must be 4 letters, 4 numbers and 4 letters, like ABCD-1234-EFGH", "ppon");
  return ppon;
}

function checkPerson(input: { fullName: string; email: string }): { fullName: string; email: string } {
  if (cleanText(input.fullName ?? "") === "") throw new ActionRefused("Enter your full name", "fullName");
  const fullName = requiredText(input.fullName, "fullName", "full name");
  const email = normaliseEmail(input.email ?? "");
  if (email === "") throw new ActionRefused("Enter your email address", "email");
  if (!isSendableAddress(email)) throw new ActionRefused("Enter an email address in the correct format, like name@example.com", "email");
  return { fullName, email };
}

/** The sign-up's fields checked in the order the form shows them, each refusal naming its field. */
export function checkSignUp(input: SignUpInput): CheckedSignUp {
  const details = checkOrganisationDetails("provider", input);
  const ppon = checkPpon(input.ppon);
  return { ...details, ppon, ...checkPerson(input) };
}

/**
 * Every format problem at once, by field, for the form to show together: the
 * organisation's details (first problem among them), the PPON and the
 * person's name and email are checked independently. Empty when all is well.
 */
export function signUpProblems(input: SignUpInput): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const check of [() => checkOrganisationDetails("provider", input), () => checkPpon(input.ppon), () => checkPerson(input)]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      problems[error.field ?? "form"] ??= error.message;
    }
  }
  return problems;
}

const askForInvitation = (name: string) => `ask one of ${name}'s users to invite you`;

/**
 * An organisation already registered with the same Companies House number,
 * PPON or name is refused, naming it (and only it) so the person knows whom
 * to ask for an invitation.
 */
async function refuseRegisteredOrganisation(db: Reader, details: CheckedSignUp): Promise<void> {
  if (details.companiesHouseNumber) {
    const same = await db.selectFrom("organisation").select("name").where("companies_house_number", "=", details.companiesHouseNumber).executeTakeFirst();
    if (same) {
      throw new ActionRefused(
        `${same.name} is already registered with Companies House number ${details.companiesHouseNumber}. To use the portal for it, ${askForInvitation(same.name)}`,
        "companiesHouseNumber",
      );
    }
  }
  const samePpon = await db.selectFrom("organisation").select("name").where("ppon", "=", details.ppon).executeTakeFirst();
  if (samePpon) {
    throw new ActionRefused(`${samePpon.name} is already registered with PPON ${details.ppon}. To use the portal for it, ${askForInvitation(samePpon.name)}`, "ppon");
  }
  const sameName = await db
    .selectFrom("organisation")
    .select("name")
    .where("kind", "=", "provider")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", details.name.toLowerCase()))
    .executeTakeFirst();
  if (sameName) throw new ActionRefused(`A provider called ${sameName.name} is already registered. If it is yours, ${askForInvitation(sameName.name)}`, "name");
}

function signUpColumns(details: CheckedSignUp) {
  return {
    organisation_name: details.name,
    companies_house_number: details.companiesHouseNumber,
    charity_number: details.charityNumber,
    ppon: details.ppon,
    address_line1: details.addressLine1 ?? "",
    address_line2: details.addressLine2,
    town: details.town ?? "",
    postcode: details.postcode ?? "",
    full_name: details.fullName,
    email: details.email,
  };
}

/**
 * Records the sign-up and emails its link, or, when the address already has
 * an account, emails that person instead; either way the caller shows the
 * same "check your email" page. Refusals (formats, an organisation already
 * registered) say nothing about the address.
 */
export async function requestSignUp(trx: Trx, input: SignUpInput, ctx: ActionContext, links: { baseUrl: string }): Promise<void> {
  const details = checkSignUp(input);
  await refuseRegisteredOrganisation(trx, details);
  // One address's sign-ups one at a time, so the count and "replaced" below see each other.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('provider-sign-up:' || ${details.email}, 0))`.execute(trx);
  const recent = await trx
    .selectFrom("provider_sign_up")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("email", "=", details.email)
    .where("requested_at", ">", new Date(ctx.now.getTime() - 60 * 60 * 1000))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= SIGN_UPS_PER_ADDRESS_PER_HOUR) return;
  if (ctx.clientAddress) {
    const fromClient = await trx
      .selectFrom("provider_sign_up")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("client_address", "=", ctx.clientAddress)
      .where("requested_at", ">", new Date(ctx.now.getTime() - 60 * 60 * 1000))
      .executeTakeFirstOrThrow();
    if (Number(fromClient.n) >= SIGN_UPS_PER_CLIENT_PER_HOUR) {
      throw new ActionRefused("Too many organisations have been registered from your network in the last hour. Try again later");
    }
  }

  const expiresAt = new Date(ctx.now.getTime() + SIGN_UP_LIFETIME_MS);
  const account = await trx.selectFrom("app_user").select(["id", "full_name"]).where("email", "=", details.email).executeTakeFirst();
  if (account) {
    const row = await trx
      .insertInto("provider_sign_up")
      .values({ ...signUpColumns(details), status: "account_exists", token_hash: null, client_address: ctx.clientAddress, requested_at: ctx.now, expires_at: ctx.now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await queueEmail(trx, {
      to: details.email,
      template: {
        name: "sign_up_account_exists",
        props: { recipientName: account.full_name, signInUrl: `${links.baseUrl}/sign-in`, resetUrl: `${links.baseUrl}/forgot-password` },
      },
    });
    await recordAuditEvent(trx, ctx, {
      action: "provider_sign_up.account_exists",
      summary: `Someone asked to register ${details.name} with ${details.email}, which already has an account: they were emailed to sign in instead`,
      subjects: [
        { type: "provider_sign_up", id: row.id },
        { type: "user", id: account.id },
      ],
      after: { organisationName: details.name, email: details.email },
    });
    return;
  }

  // Only the newest link for an address works.
  await trx
    .updateTable("provider_sign_up")
    .set({ status: "replaced" })
    .where("email", "=", details.email)
    .where("status", "=", "pending")
    .execute();
  const token = newSecret();
  const row = await trx
    .insertInto("provider_sign_up")
    .values({ ...signUpColumns(details), status: "pending", token_hash: secretHash(token), client_address: ctx.clientAddress, requested_at: ctx.now, expires_at: expiresAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  await queueEmail(trx, {
    to: details.email,
    template: {
      name: "sign_up_confirmation",
      props: { recipientName: details.fullName, organisationName: details.name, confirmUrl: `${links.baseUrl}/sign-up/${token}`, expiresAt },
    },
  });
  const { email: _email, fullName: _name, ...organisation } = details;
  await recordAuditEvent(trx, ctx, {
    action: "provider_sign_up.requested",
    summary: `${details.fullName} (${details.email}) asked to register ${details.name} as a provider; a confirmation link was emailed`,
    subjects: [{ type: "provider_sign_up", id: row.id }],
    after: { ...organisation, fullName: details.fullName, email: details.email, expiresAt: expiresAt.toISOString() },
  });
}

export interface PendingSignUp {
  id: string;
  organisationName: string;
  companiesHouseNumber: string | null;
  charityNumber: string | null;
  ppon: string;
  addressLines: string[];
  fullName: string;
  email: string;
  expiresAt: Date;
}

/** The pending sign-up a link belongs to, if it can still be confirmed; locks it when `lock` is set. */
export async function pendingSignUpFor(db: Reader, token: string, now: Date, lock = false): Promise<PendingSignUp | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  let query = db
    .selectFrom("provider_sign_up")
    .selectAll()
    .where("token_hash", "=", secretHash(token))
    .where("status", "=", "pending")
    .where("expires_at", ">", now);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    organisationName: row.organisation_name,
    companiesHouseNumber: row.companies_house_number,
    charityNumber: row.charity_number,
    ppon: row.ppon,
    addressLines: [row.address_line1, row.address_line2, row.town, row.postcode].filter((line): line is string => Boolean(line)),
    fullName: row.full_name,
    email: row.email,
    expiresAt: row.expires_at,
  };
}

const LINK_USED_UP = "This link has expired or has already been used. Sign up again to get a new one";

/**
 * Creates the organisation and its first user from a pending sign-up, in one
 * transaction. The sign-up row is locked first, so the same link followed
 * twice at once creates one organisation: the second waits, then finds the
 * sign-up no longer pending. A registration that someone else completed for
 * the same organisation meanwhile is refused with whom to ask.
 */
export async function confirmSignUp(
  trx: Trx,
  input: { token: string; password: string },
  ctx: ActionContext,
): Promise<{ organisationId: string; organisationName: string; userId: string; email: string }> {
  const pending = await pendingSignUpFor(trx, input.token, ctx.now, true);
  if (!pending) throw new ActionRefused(LINK_USED_UP);
  const problem = passwordProblem(input.password, { email: pending.email, name: pending.fullName });
  if (problem) throw new ActionRefused(problem, "password");
  const row = await trx.selectFrom("provider_sign_up").selectAll().where("id", "=", pending.id).executeTakeFirstOrThrow();
  const details: CheckedSignUp = checkSignUp({
    name: row.organisation_name,
    companiesHouseNumber: row.companies_house_number,
    charityNumber: row.charity_number,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    town: row.town,
    postcode: row.postcode,
    ppon: row.ppon,
    fullName: row.full_name,
    email: row.email,
  });
  await refuseRegisteredOrganisation(trx, details);
  const taken = await trx.selectFrom("app_user").select("id").where("email", "=", details.email).executeTakeFirst();
  if (taken) throw new ActionRefused(`${details.email} already has an account. Sign in, or reset your password if you have forgotten it`);

  const organisation = await createProvider(trx, details, ctx);
  await trx
    .updateTable("organisation")
    .set({ ppon: details.ppon })
    .where("id", "=", organisation.id)
    .execute()
    .catch((error: unknown) => {
      // Another sign-up with this PPON completed in the moment since the check above.
      if (isUniqueViolation(error, "organisation_ppon_key")) throw new ActionRefused(`An organisation with PPON ${details.ppon} has just been registered. To use the portal for it, ask its users to invite you`, "ppon");
      throw error;
    });
  const user = await createActiveUser(
    trx,
    { organisationId: organisation.id, email: details.email, fullName: details.fullName, roles: ["provider_user"], password: input.password },
    ctx,
  );
  await trx
    .updateTable("provider_sign_up")
    .set({ status: "confirmed", confirmed_at: ctx.now, organisation_id: organisation.id, user_id: user.id })
    .where("id", "=", pending.id)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "provider_sign_up.confirmed",
    summary: `${details.fullName} (${details.email}) confirmed the registration of ${details.name} (PPON ${details.ppon}) and became its first user`,
    subjects: [
      { type: "provider_sign_up", id: pending.id },
      { type: "organisation", id: organisation.id },
      { type: "user", id: user.id },
    ],
    before: { status: "pending" },
    after: { status: "confirmed", ppon: details.ppon },
  });
  return { organisationId: organisation.id, organisationName: details.name, userId: user.id, email: details.email };
}
