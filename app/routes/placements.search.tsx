import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, DateInput, ErrorSummary, PrerenderedTable, Select, TextInput } from "#app/components/govuk";
import { searchColumns } from "#app/components/market/search-columns";
import { searchRowsHtml, type SearchRow } from "#app/components/market/search-rows.server";
import { vacancyInWords } from "#app/components/market/vacancy";
import { Pagination, pageOutOfRange } from "#app/components/Pagination";
import { parseDateInput, type DatePart } from "#app/modules/common/date-input";
import { ActionRefused } from "#app/modules/errors";
import { ofstedGradeLabel } from "#app/modules/homes/homes";
import { GENDER_LABELS } from "#app/modules/homes/statement-of-purpose";
import { marketAt } from "#app/modules/placements/market";
import { searchHomes, type PlacementSearch, type SearchSort } from "#app/modules/placements/search";
import type { FieldErrors } from "#app/web/forms";
import { pounds } from "#app/web/format";
import { penceFromPounds } from "#app/web/money";
import { authorise } from "#app/web/guard.server";
import { markupForPage, optionsHtml } from "#app/web/html.server";
import { pageMarkup } from "#app/web/page-markup";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Find a home");

const PAGE_SIZE = 20;
const FIELDS = ["agreement", "lot", "need", "age", "gender", "from", "miles", "grade", "minFee", "maxFee", "vacancy", "by-day", "by-month", "by-year", "sort"] as const;
type Typed = Record<(typeof FIELDS)[number], string>;

/** Where each of the search module's refusals shows on the form. */
const FIELD_OF: Record<string, string> = {
  agreementId: "agreement",
  lotId: "lot",
  need: "need",
  age: "age",
  gender: "gender",
  fromDistrict: "from",
  maxMiles: "miles",
  minimumGrade: "grade",
  minFee: "minFee",
  maxFee: "maxFee",
  vacancyBy: "by-day",
};

const GRADES = [
  { value: "", label: "Any, including not yet inspected" },
  { value: "1", label: "Outstanding" },
  { value: "2", label: "Good or better" },
  { value: "3", label: "Requires improvement or better" },
];
const VACANCIES = [
  { value: "", label: "Any, with or without a vacancy" },
  { value: "now", label: "A bed free now" },
  { value: "by", label: "A bed free by the date below" },
];
/** The first, "", leaves the order to the search: nearest first from a district, else by name. */
const SORTS: { value: SearchSort | ""; label: string }[] = [
  { value: "", label: "Nearest first" },
  { value: "grade", label: "Best Ofsted grade first" },
  { value: "fee", label: "Lowest weekly fee first" },
  { value: "name", label: "Name" },
];

/** The typed filters as the search module takes them, or the messages beside the fields. */
function readFilters(t: Typed): { search: PlacementSearch } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const whole = (text: string, field: string, message: string) => {
    if (text === "") return null;
    if (!/^\d{1,4}$/.test(text)) errors[field] = message;
    return Number(text);
  };
  const age = whole(t.age, "age", "Enter the child's age as a whole number of years, like 14");
  const miles = whole(t.miles, "miles", "Enter the distance as a whole number of miles, like 30");
  if (miles !== null && !errors.miles && t.from === "") errors.from = "Enter the postcode district to measure the distance from, like EX4";
  const fee = (text: string, field: "minFee" | "maxFee", label: string) => {
    if (/^\s*£?\s*-/.test(text)) {
      errors[field] = `${label} cannot be negative`;
      return null;
    }
    const read = penceFromPounds(text, label, 9);
    if (read.kind === "problem") errors[field] = read.message;
    return read.kind === "pence" ? read.pence : null;
  };
  const minFee = fee(t.minFee, "minFee", "Lowest weekly fee");
  const maxFee = fee(t.maxFee, "maxFee", "Highest weekly fee");
  if (minFee !== null && maxFee !== null && minFee > maxFee) errors.maxFee = "The highest weekly fee must be the same as or more than the lowest";
  let vacancy: PlacementSearch["vacancy"] = "any";
  if (t.vacancy === "now") vacancy = "now";
  if (t.vacancy === "by") {
    const by = parseDateInput({ day: t["by-day"], month: t["by-month"], year: t["by-year"] }, "The date a bed is needed by");
    if (by.kind === "empty") errors["by-day"] = "Enter the date a bed is needed by";
    else if (by.kind === "problem") errors[`by-${by.parts[0]}`] = by.message;
    else vacancy = { by: by.iso };
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    search: {
      agreementId: t.agreement || null,
      lotId: t.lot || null,
      need: t.need || null,
      age,
      gender: t.gender || null,
      fromDistrict: t.from || null,
      maxMiles: miles,
      minimumGrade: t.grade ? Number(t.grade) : null,
      minFeePence: minFee,
      maxFeePence: maxFee,
      vacancy,
      sort: t.sort === "distance" || t.sort === "grade" || t.sort === "fee" || t.sort === "name" ? t.sort : undefined,
    },
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "placement.search");
  const params = new URL(request.url).searchParams;
  const typed = Object.fromEntries(FIELDS.map((f) => [f, (params.get(f) ?? "").trim()])) as Typed;
  const page = Math.min(Math.max(Number.parseInt(params.get("page") ?? "1", 10) || 1, 1), 100_000);
  const now = new Date();
  // The market as kept (decision 048): the form's choices and the homes, for one statement while nothing changes.
  const market = await marketAt(portal.db, now, portal.chainVersion);
  const { agreements, needs } = market.choices;
  // The long lists written once, in their selects: not as React elements and again in the browser's copy (decision 057).
  const options = (list: { value: string; label: string }[], chosen: string) => markupForPage(optionsHtml(list, chosen), portal.rendersDocument);
  const base = {
    typed,
    options: {
      agreement: options([{ value: "", label: "Any agreement" }, ...agreements.map((a) => ({ value: a.id, label: `${a.reference}: ${a.title}` }))], typed.agreement),
      lot: options(
        [{ value: "", label: "Any lot" }, ...agreements.flatMap((a) => a.lots.map((l) => ({ value: l.id, label: `${a.reference} lot ${l.number}: ${l.title}` })))],
        typed.lot,
      ),
      need: options([{ value: "", label: "Any need" }, ...needs.map((n) => ({ value: n.code, label: n.label }))], typed.need),
      gender: options([{ value: "", label: "Any" }, ...Object.entries(GENDER_LABELS).map(([value, label]) => ({ value, label }))], typed.gender),
      grade: options(GRADES, typed.grade),
      vacancy: options(VACANCIES, typed.vacancy),
      sort: options(SORTS, typed.sort === "distance" ? "" : typed.sort),
    },
  };
  const filters = readFilters(typed);
  if ("errors" in filters) return data({ ...base, errors: filters.errors, result: null }, { status: 400 });
  try {
    const result = await searchHomes(portal.db, { ...filters.search, page, pageSize: PAGE_SIZE }, now, market);
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    if (page > pages)
      throw data(
        pageOutOfRange(page, pages, "the search results", (p) => pageHref(typed, p)),
        { status: 404 }
      );
    const rows: SearchRow[] = result.homes.map((h) => ({
      homeId: h.homeId,
      name: h.name,
      providerName: h.providerName,
      postcodeDistrict: h.postcodeDistrict,
      distanceMiles: h.distanceMiles,
      gradeLabel: ofstedGradeLabel(h.ofstedGrade),
      ages: h.ageMin === null ? "Not recorded" : `${h.ageMin} to ${h.ageMax}`,
      vacancy: vacancyInWords(h),
      lastConfirmedAt: h.lastConfirmedAt?.toISOString() ?? null,
      stale: h.stale,
      fee: h.weeklyFeePence === null ? "Fee not recorded" : pounds(h.weeklyFeePence),
    }));
    return {
      ...base,
      errors: null,
      result: {
        total: result.total,
        page: result.page,
        pages,
        origin: result.origin,
        // The rows in words, written as HTML and sent once (decisions 026 and 054).
        rowsHtml: markupForPage(searchRowsHtml(rows, result.origin !== null), portal.rendersDocument),
      },
    };
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    return data(
      {
        ...base,
        errors: { [FIELD_OF[error.field ?? ""] ?? "agreement"]: error.message },
        result: null,
      },
      { status: 400 }
    );
  }
}

function pageHref(typed: Typed, page: number): string {
  const query = new URLSearchParams(Object.entries(typed).filter(([, v]) => v !== ""));
  query.set("page", String(page));
  return `/placements/search?${query.toString()}`;
}

export default function PlacementSearchPage() {
  const { typed, options, errors, result } = useLoaderData<typeof loader>();
  const dateError = (["day", "month", "year"] as DatePart[]).find((p) => errors?.[`by-${p}`]);
  // No date at all: every box is wrong, as the design system asks.
  const dateParts: DatePart[] =
    dateError && !typed["by-day"] && !typed["by-month"] && !typed["by-year"] ? ["day", "month", "year"] : dateError ? [dateError] : [];
  return (
    <>
      <ErrorSummary errors={errors ?? undefined} order={[...FIELDS]} />
      <h1 className="govuk-heading-l">Find a home</h1>
      <p className="govuk-body">Homes suspended from new placements are never listed. Distances are between postcode district centres, in miles.</p>
      <Form method="get" key={JSON.stringify(typed)} className="portal-search-form">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <Select name="agreement" label="Agreement" optionsHtml={pageMarkup(options.agreement, "select#agreement")} error={errors?.agreement} />
            <Select name="lot" label="Lot" optionsHtml={pageMarkup(options.lot, "select#lot")} error={errors?.lot} />
            <Select name="need" label="Need" optionsHtml={pageMarkup(options.need, "select#need")} error={errors?.need} />
            <TextInput name="age" label="Child's age" hint="In years" width="10" defaultValue={typed.age} error={errors?.age} />
            <Select name="gender" label="Gender" optionsHtml={pageMarkup(options.gender, "select#gender")} error={errors?.gender} />
          </div>
          <div className="govuk-grid-column-one-half">
            <TextInput
              name="from"
              label="Child's home postcode district"
              hint="The first part of the postcode, like EX4 or PL12"
              width="10"
              defaultValue={typed.from}
              error={errors?.from}
              spellCheck={false}
            />
            <TextInput name="miles" label="Within miles (optional)" width="10" defaultValue={typed.miles} error={errors?.miles} />
            <Select name="grade" label="Minimum Ofsted grade" optionsHtml={pageMarkup(options.grade, "select#grade")} error={errors?.grade} />
            <div className={`govuk-form-group${errors?.minFee || errors?.maxFee ? " govuk-form-group--error" : ""}`}>
            <fieldset className="govuk-fieldset" aria-describedby="fee-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Weekly fee (optional)</legend>
              <div id="fee-hint" className="govuk-hint">
                The home's standard weekly fee. Homes that have not recorded a fee are left out when you give a lowest or highest fee.
              </div>
              <TextInput name="minFee" label="Lowest, in pounds" prefix="£" width="10" inputMode="decimal" spellCheck={false} defaultValue={typed.minFee} error={errors?.minFee} />
              <TextInput name="maxFee" label="Highest, in pounds" prefix="£" width="10" inputMode="decimal" spellCheck={false} defaultValue={typed.maxFee} error={errors?.maxFee} />
            </fieldset>
            </div>
            <Select name="vacancy" label="Vacancy" optionsHtml={pageMarkup(options.vacancy, "select#vacancy")} />
            <DateInput
              name="by"
              legend="Bed needed by"
              hint="Only used with 'A bed free by the date below'. For example, 27 3 2027"
              value={{
                day: typed["by-day"],
                month: typed["by-month"],
                year: typed["by-year"],
              }}
              error={dateError ? { message: errors![`by-${dateError}`]!, parts: dateParts } : undefined}
            />
            <Select name="sort" label="Sort by" hint="With no district given, homes are listed by name." optionsHtml={pageMarkup(options.sort, "select#sort")} />
          </div>
        </div>
        <div className="govuk-button-group">
          <Button>Search</Button>
          <Link className="govuk-link" to="/placements/search">
            Clear filters
          </Link>
        </div>
      </Form>
      {result ? (
        <>
          {typed.minFee || typed.maxFee ? (
            <div className="govuk-inset-text">Only homes with a weekly fee recorded in the range you gave are listed: homes that have not recorded a fee are left out.</div>
          ) : null}
          {result.origin && !result.origin.known ? (
            <div className="govuk-inset-text">
              We do not know where {result.origin.outcode} is, so no distances are shown
              {typed.miles ? " and the distance limit was not applied" : ""}. Check the district, or ask an administrator to import it.
            </div>
          ) : null}
          <div id="search-results">
            <PrerenderedTable
              caption={`${result.total} home${result.total === 1 ? "" : "s"} found${result.pages > 1 ? `, page ${result.page} of ${result.pages}` : ""}`}
              headers={searchColumns(result.origin !== null)}
              rowsHtml={pageMarkup(result.rowsHtml, "#search-results tbody")}
            />
          </div>
          <Pagination page={result.page} pages={result.pages} href={(p) => pageHref(typed, p)} />
        </>
      ) : null}
    </>
  );
}
