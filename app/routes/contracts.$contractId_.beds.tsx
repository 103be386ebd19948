// A signed block or short breaks contract's homes: the provider (or the
// council's commissioning officer) names how many beds in each of its homes,
// or the nights a year at each, for the nights the contract runs; saving
// creates the block contract (or a short breaks contract per home) that
// utilisation counts, linked to this contract (decision 038). Done once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { NightsInputs } from "#app/components/Utilisation";
import { formatPence } from "#app/modules/agreements/agreements";
import { CONTRACT_KIND_LABELS } from "#app/modules/contracts/contracts";
import { linkedUtilisation, NIGHTS_A_YEAR_PER_PLACE, providerHomes, setUpUtilisation, utilisationKindOf, utilisationPrice } from "#app/modules/contracts/utilisation";
import { actionContext } from "#app/web/context";
import { contractFor } from "#app/web/contracts.server";
import { keptValues, type FieldErrors } from "#app/web/forms";
import { ukDate } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readNights } from "#app/web/utilisation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? data.heading : "Name the homes");

async function bedsPage(request: Request, portal: Parameters<typeof contractFor>[1], contractId: string | undefined) {
  const { contract } = await contractFor(request, portal, contractId, "contract.setUpUtilisation");
  const kind = utilisationKindOf(contract.kind);
  // Only a signed block or short breaks contract not yet set up has this page.
  if (!kind || contract.status !== "accepted") throw notFound();
  if (await linkedUtilisation(portal.db, contract.id)) throw redirect(`/contracts/${contract.id}`);
  return { contract, kind };
}

function typedDay(iso: string) {
  const [year, month, day] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { contract, kind } = await bedsPage(request, portal, params.contractId);
  const price = utilisationPrice(contract);
  const homes = await providerHomes(portal.db, contract.providerId, { firstNight: contract.startOn, lastNight: contract.endOn });
  return {
    heading: kind === "block" ? "Name the homes and beds" : "Name the homes and nights",
    contract: { id: contract.id, name: `${CONTRACT_KIND_LABELS[contract.kind]} ${contract.reference}`, providerName: contract.providerName, startOn: contract.startOn, endOn: contract.endOn },
    kind,
    priceText: price ? `${formatPence(price.amountPence)} a ${price.unit === "week" ? "week per bed" : "night"}, from the price schedule` : null,
    homes: homes.map((h) => ({
      ...h,
      hint:
        kind === "block"
          ? `Registered for ${h.registeredPlaces} ${h.registeredPlaces === 1 ? "child" : "children"}${h.heldByOtherBlocks > 0 ? `; ${h.heldByOtherBlocks} in other block contracts during the contract` : ""}. Leave blank if none.`
          : `Registered for ${h.registeredPlaces} ${h.registeredPlaces === 1 ? "child" : "children"}: at most ${(h.registeredPlaces * NIGHTS_A_YEAR_PER_PLACE).toLocaleString("en-GB")} nights a year. Leave blank if none.`,
    })),
    defaults: { firstNight: typedDay(contract.startOn), lastNight: typedDay(contract.endOn) },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { contract, kind } = await bedsPage(request, portal, params.contractId);
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form);
  const errors: FieldErrors = { ...nights.errors };
  const homes: { homeId: string; count: number }[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith("home-")) continue;
    const text = value.trim();
    if (text === "") continue;
    if (!/^\d{1,6}$/.test(text)) {
      errors[key] = kind === "block" ? "Enter the number of beds as a whole number, like 2" : "Enter the nights a year as a whole number, like 120";
      continue;
    }
    homes.push({ homeId: key.slice("home-".length), count: Number(text) });
  }
  if (Object.keys(errors).length > 0) return data({ errors, values, dates: nights.dates }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      setUpUtilisation(trx, { contractId: contract.id, firstNight: nights.firstNight!, lastNight: nights.lastNight!, homes }, actionContext(portal), { baseUrl: portal.baseUrl }),
    );
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates: nights.dates }, { status: 400 });
    throw error;
  }
  return redirect(`/contracts/${contract.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: kind === "block" ? "The beds are named" : "The homes and nights are named",
        body: kind === "block" ? "They are counted in block bed utilisation from their first night." : "Short breaks can now be booked at these homes.",
      }),
    },
  });
}

export default function NameBeds() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const block = page.kind === "block";
  const v = result?.values;
  const homeFields = page.homes.map((h) => `home-${h.id}`);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/contracts/${page.contract.id}`}>Back to the contract</BackLink>
        <ErrorSummary
          errors={result?.errors}
          order={["form", "firstNight", "lastNight", "homes", ...homeFields]}
          href={(key) => (key === "firstNight" || key === "lastNight" ? `#${key}-day` : key === "homes" ? `#${homeFields[0] ?? "firstNight-day"}` : `#${key}`)}
        />
        <span className="govuk-caption-l">{page.contract.name}</span>
        <h1 className="govuk-heading-l">{page.heading}</h1>
        <p className="govuk-body">
          {block
            ? `Say how many of the contract's beds are in each of ${page.contract.providerName}'s homes. Each bed is then counted every night as occupied, empty (void) or unavailable, on the block beds pages.`
            : `Say which of ${page.contract.providerName}'s homes give the short breaks, and the nights a year at each. Short breaks are then booked against them.`}
        </p>
        <p className="govuk-body">{page.priceText ? `They are paid at ${page.priceText}.` : "The contract's price schedule has no price for them."}</p>
        <p className="govuk-body">This is done once: check the numbers before you save them.</p>
        <PostForm>
          <NightsInputs
            legends={{ first: "First night", last: "Last night" }}
            dates={result?.dates ?? { firstNight: { typed: page.defaults.firstNight }, lastNight: { typed: page.defaults.lastNight } }}
            errors={result?.errors}
            lastHint={`The contract runs from ${ukDate(page.contract.startOn)} to ${ukDate(page.contract.endOn)}`}
          />
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{block ? "Beds in each home" : "Nights a year at each home"}</legend>
            {result?.errors.homes ? (
              <p className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {result.errors.homes}
              </p>
            ) : null}
            {page.homes.length === 0 ? <p className="govuk-body">{page.contract.providerName} has no homes in the portal yet.</p> : null}
            {page.homes.map((h) => (
              <TextInput
                key={h.id}
                name={`home-${h.id}`}
                label={block ? `Beds in ${h.name}` : `Nights a year at ${h.name}`}
                hint={h.hint}
                inputMode="numeric"
                width="10"
                defaultValue={v?.[`home-${h.id}`]}
                error={result?.errors[`home-${h.id}`]}
              />
            ))}
          </fieldset>
          <Button>{block ? "Save the beds" : "Save the homes and nights"}</Button>
        </PostForm>
      </div>
    </div>
  );
}
