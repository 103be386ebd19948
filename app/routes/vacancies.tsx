import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Checkboxes, DateInput, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { Freshness, vacancyInWords } from "#app/components/market/vacancy";
import { EMPTY_DATE, parseDateInput, typedDateFromIso, type DatePart, type TypedDate } from "#app/modules/common/date-input";
import { longDate } from "#app/modules/common/input";
import { RecordNotFound } from "#app/modules/errors";
import { listNeeds, needsOfHomes } from "#app/modules/homes/statement-of-purpose";
import { confirmNoChange, providerVacancies, saveVacancies, type VacancyChange } from "#app/modules/vacancies/vacancies";
import { actionContext } from "#app/web/context";
import type { Reader } from "#app/database/schema";
import { formFields, type FieldErrors } from "#app/web/forms";
import { authorise, notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Vacancies");

/** What one home's part of the form holds, as typed. */
interface TypedVacancy {
  homeId: string;
  version: string;
  bedsFreeNow: string;
  from: TypedDate;
  fromBeds: string;
  needs: string[];
}

/** Each home's fields are named by its place in the form: home-1-bedsFreeNow, home-1-from-day, ... */
const prefix = (index: number) => `home-${index + 1}`;

function typedHomes(form: FormData): TypedVacancy[] {
  const fields = formFields(form);
  const homes: TypedVacancy[] = [];
  for (let i = 0; fields.has(`${prefix(i)}-id`); i++) {
    const p = prefix(i);
    const text = (name: string) => fields.text(`${p}-${name}`);
    homes.push({
      homeId: text("id"),
      version: text("version"),
      bedsFreeNow: text("bedsFreeNow"),
      from: {
        day: text("from-day"),
        month: text("from-month"),
        year: text("from-year"),
      },
      fromBeds: text("fromBeds"),
      needs: fields.all(`${p}-needs`),
    });
  }
  return homes;
}

const WHOLE = /^\d{1,4}$/;

/** Turns one home's typed values into a change, or the messages beside its fields. */
function checkTyped(t: TypedVacancy, p: string, homeName: string): { change: VacancyChange } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (t.bedsFreeNow === "") errors[`${p}-bedsFreeNow`] = `Enter the beds free now at ${homeName}, or 0 if none`;
  else if (!WHOLE.test(t.bedsFreeNow)) errors[`${p}-bedsFreeNow`] = `Enter the beds free now at ${homeName} as a whole number, 0 or more`;
  const date = parseDateInput(t.from, `The date beds are free from at ${homeName}`);
  let bedsFreeFrom: VacancyChange["bedsFreeFrom"] = null;
  if (date.kind === "problem") errors[`${p}-from-${date.parts[0]}`] = date.message;
  if (date.kind === "date" && t.fromBeds === "") errors[`${p}-fromBeds`] = `Enter how many beds are free from that date at ${homeName}`;
  else if (t.fromBeds !== "" && !WHOLE.test(t.fromBeds)) errors[`${p}-fromBeds`] = `Enter the beds free from that date at ${homeName} as a whole number`;
  else if (date.kind === "empty" && t.fromBeds !== "") errors[`${p}-from-day`] = `Enter the date the beds are free from at ${homeName}`;
  if (Object.keys(errors).length > 0) return { errors };
  if (date.kind === "date") bedsFreeFrom = { on: date.iso, beds: Number(t.fromBeds) };
  return {
    change: {
      homeId: t.homeId,
      expectedVersion: Number(t.version) || 0,
      bedsFreeNow: Number(t.bedsFreeNow),
      bedsFreeFrom,
      needs: t.needs,
    },
  };
}

/** Where a module's refusal for one home goes on the page. */
function refusalField(p: string, field: string | null): string {
  if (field === "bedsFreeNow" || field === "needs") return `${p}-${field}`;
  if (field === "bedsFreeFromOn") return `${p}-from-day`;
  if (field === "bedsFreeFrom") return `${p}-fromBeds`;
  return p;
}

/** The form's homes as they are now: read by the loader, and again by an action that shows problems (loaders do not run again after a 400). */
async function homesNow(db: Reader, organisationId: string) {
  const now = new Date();
  const [homes, needs] = await Promise.all([providerVacancies(db, organisationId, now), listNeeds(db)]);
  const statementNeeds = await needsOfHomes(
    db,
    homes.map((h) => h.homeId)
  );
  return {
    needLabels: Object.fromEntries(needs.map((n) => [n.code, n.label])),
    homes: homes.map((h) => ({
      ...h,
      lastConfirmedAt: h.lastConfirmedAt?.toISOString() ?? null,
      // A home whose Statement of Purpose lists no needs yet may offer a vacancy for any need.
      needOptions: statementNeeds.get(h.homeId)?.length ? statementNeeds.get(h.homeId)! : needs.map((n) => n.code),
    })),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "vacancy.manage", { kind: "home", organisationId: portal.actor?.organisationId ?? "" });
  return { organisationName: actor.organisationName, ...(await homesNow(portal.db, actor.organisationId)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "vacancy.manage", {
    kind: "home",
    organisationId: portal.actor?.organisationId ?? "",
  });
  const form = await request.formData();
  try {
    if (form.get("intent") === "confirm") {
      const { confirmed, unrecorded } = await portal.db
        .transaction()
        .execute((trx) => confirmNoChange(trx, { organisationId: actor.organisationId }, actionContext(portal)));
      return redirect("/vacancies", {
        headers: {
          "Set-Cookie": portal.flashCookie({
            title: `Vacancies confirmed for ${confirmed} home${confirmed === 1 ? "" : "s"}`,
            body: unrecorded.length ? `Enter a vacancy for ${unrecorded.map((h) => h.name).join(", ")}: none is recorded yet.` : undefined,
          }),
        },
      });
    }

    const typed = typedHomes(form);
    // The homes' names are read only for messages about what was typed: when all of it is well formed,
    // saveVacancies finds each home among the provider's own as it reads them (a save is one statement fewer).
    let checked = typed.map((t, i) => checkTyped(t, prefix(i), ""));
    if (checked.some((c) => "errors" in c)) {
      const names = new Map((await providerVacancies(portal.db, actor.organisationId, new Date())).map((h) => [h.homeId, h.homeName]));
      // Any home that is not this provider's is "not found" (decision 006), whatever else was typed.
      if (typed.some((t) => !names.has(t.homeId))) throw notFound();
      checked = typed.map((t, i) => checkTyped(t, prefix(i), names.get(t.homeId)!));
    }
    const errors: FieldErrors = {};
    const changes: VacancyChange[] = [];
    for (const c of checked) {
      if ("errors" in c) Object.assign(errors, c.errors);
      else changes.push(c.change);
    }
    const result = changes.length
      ? await saveVacancies(portal.db, { changes }, actionContext(portal))
      : { saved: [], refused: [] };
    /** Homes changed by a colleague: shown with the latest values, and what this person had typed. */
    const overtaken: Record<string, string> = {};
    for (const refusal of result.refused) {
      const index = typed.findIndex((t) => t.homeId === refusal.homeId);
      errors[refusalField(prefix(index), refusal.field)] = refusal.message;
      if (refusal.field === null) overtaken[refusal.homeId] = typedInWords(typed[index]!);
    }
    if (Object.keys(errors).length === 0) {
      return redirect("/vacancies", {
        headers: {
          "Set-Cookie": portal.flashCookie({
            title: `Vacancies saved for ${result.saved.length} home${result.saved.length === 1 ? "" : "s"}`,
          }),
        },
      });
    }
    // Keep the typed values of homes not saved, except those overtaken, which show the colleague's.
    const savedIds = new Set(result.saved.map((s) => s.homeId));
    const kept = typed.filter((t) => !savedIds.has(t.homeId) && !(t.homeId in overtaken));
    const ordered = Object.fromEntries(typed.flatMap((_, i) => Object.entries(errors).filter(([key]) => key === prefix(i) || key.startsWith(`${prefix(i)}-`))));
    const latest = (await homesNow(portal.db, actor.organisationId)).homes;
    return data({ errors: ordered, kept, overtaken, savedCount: result.saved.length, latest }, { status: 400 });
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    const errors = refusalErrors(error);
    if (errors)
      return data(
        {
          errors,
          kept: typedHomes(form),
          overtaken: {} as Record<string, string>,
          latest: null,
          savedCount: 0,
        },
        { status: 400 }
      );
    throw error;
  }
}

function typedInWords(t: TypedVacancy): string {
  const date = parseDateInput(t.from, "Date");
  const from = date.kind === "date" && t.fromBeds ? `; ${t.fromBeds} free from ${longDate(date.iso)}` : "";
  return `${t.bedsFreeNow === "" ? "no number" : `${t.bedsFreeNow} free now`}${from}`;
}

export default function Vacancies() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { organisationName, needLabels } = loaded;
  const homes = result?.latest ?? loaded.homes;
  const errors: FieldErrors = result?.errors ?? {};
  return (
    <>
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Vacancies</h1>
      {result && result.savedCount > 0 ? (
        <p className="govuk-inset-text">
          Saved {result.savedCount} home{result.savedCount === 1 ? "" : "s"}. The homes with a problem below were not saved.
        </p>
      ) : null}
      <p className="govuk-body">
        Keep every home&apos;s vacancy up to date. Commissioners see a vacancy not confirmed for 7 days as stale. If nothing has changed since you last saved,
        confirm it with <strong>No change</strong>.
      </p>
      {homes.length === 0 ? (
        <p className="govuk-body">Your organisation has no homes yet.</p>
      ) : (
        <PostForm>
          {homes.map((home, i) => {
            const p = prefix(i);
            const kept = result?.kept.find((k) => k.homeId === home.homeId);
            const overtaken = result?.overtaken[home.homeId];
            const v: TypedVacancy = kept ?? {
              homeId: home.homeId,
              version: String(home.version),
              bedsFreeNow: home.bedsFreeNow === null ? "" : String(home.bedsFreeNow),
              from: home.bedsFreeFrom ? typedDateFromIso(home.bedsFreeFrom.on) : EMPTY_DATE,
              fromBeds: home.bedsFreeFrom ? String(home.bedsFreeFrom.beds) : "",
              needs: home.needs,
            };
            const at = (
              <>
                <span className="govuk-visually-hidden"> at {home.homeName}</span>
              </>
            );
            const dateError = (["day", "month", "year"] as DatePart[]).find((part) => errors[`${p}-from-${part}`]);
            return (
              // Keyed by version: a home a colleague saved meanwhile is drawn afresh with the latest values, not what was typed.
              <section key={`${home.homeId}:${home.version}`} className="portal-vacancy" aria-labelledby={`${p}-name`}>
                <h2 className="govuk-heading-m" id={p} tabIndex={-1}>
                  <span id={`${p}-name`}>{home.homeName}</span>
                </h2>
                <p className="govuk-body-s">
                  {home.registeredPlaces} registered place
                  {home.registeredPlaces === 1 ? "" : "s"}. Now: {vacancyInWords(home)}. <Freshness lastConfirmedAt={home.lastConfirmedAt} stale={home.stale} />{" "}
                  <Link className="govuk-link" to={`/homes/${home.homeId}#vacancy-history`}>
                    History
                    <span className="govuk-visually-hidden"> of {home.homeName}&apos;s vacancies</span>
                  </Link>
                </p>
                {errors[p] ? (
                  <div className="govuk-form-group govuk-form-group--error">
                    <p className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {errors[p]}
                    </p>
                    {overtaken ? <p className="govuk-body">You had entered: {overtaken}. The form now shows the latest vacancy.</p> : null}
                  </div>
                ) : null}
                <input type="hidden" name={`${p}-id`} value={home.homeId} />
                <input type="hidden" name={`${p}-version`} value={kept ? v.version : String(home.version)} />
                <div className="govuk-grid-row">
                  <div className="govuk-grid-column-one-quarter">
                    <TextInput
                      id={`${p}-bedsFreeNow`}
                      name={`${p}-bedsFreeNow`}
                      label={<>Beds free now{at}</>}
                      width="10"
                      defaultValue={v.bedsFreeNow}
                      error={errors[`${p}-bedsFreeNow`]}
                    />
                  </div>
                  <div className="govuk-grid-column-one-half">
                    <DateInput
                      name={`${p}-from`}
                      legend={<>Beds free from a later date (optional){at}</>}
                      hint="When beds will come free later, for example 27 3 2027"
                      value={v.from}
                      error={
                        dateError
                          ? {
                              message: errors[`${p}-from-${dateError}`]!,
                              parts: [dateError],
                            }
                          : undefined
                      }
                    />
                  </div>
                  <div className="govuk-grid-column-one-quarter">
                    <TextInput
                      id={`${p}-fromBeds`}
                      name={`${p}-fromBeds`}
                      label={<>Beds free from that date{at}</>}
                      width="10"
                      defaultValue={v.fromBeds}
                      error={errors[`${p}-fromBeds`]}
                    />
                  </div>
                </div>
                <Checkboxes
                  name={`${p}-needs`}
                  legend={<>Needs these vacancies could meet{at}</>}
                  hint="Leave all unticked if they could meet any need the home's Statement of Purpose lists."
                  options={home.needOptions.map((code) => ({
                    value: code,
                    label: needLabels[code] ?? code,
                  }))}
                  checked={v.needs}
                  error={errors[`${p}-needs`]}
                />
              </section>
            );
          })}
          <div className="govuk-button-group">
            <Button name="intent" value="save">
              Save vacancies
            </Button>
            <Button name="intent" value="confirm" variant="secondary">
              No change: confirm all
            </Button>
          </div>
        </PostForm>
      )}
    </>
  );
}
