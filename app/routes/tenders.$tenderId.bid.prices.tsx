// The bid's prices for each lot it bids for, in pounds and pence: checked all
// together on the server (positive, whole pence, within the basis's maximum),
// each message beside its field and everything typed kept.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { PricesInvalid, setBidPrices } from "#app/modules/tendering/bids";
import { penceFromPounds } from "#app/modules/tendering/bids-text";
import { bidPath } from "#app/web/bid-paths";
import { startedBidPage } from "#app/web/bids.server";
import { actionContext } from "#app/web/context";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Your prices");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, draft } = await startedBidPage(request, context.portal, params.tenderId);
  const lots = draft.lots.filter((l) => l.chosen);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: draft.bid.version,
    lots: lots.map((l) => ({
      id: l.id,
      label: `Lot ${l.number}: ${l.title}`,
      items: draft.prices
        .filter((p) => p.lotId === l.id)
        .map((p) => ({ id: p.id, label: p.label, unit: p.unit, amount: p.amountPence === null ? "" : (p.amountPence / 100).toFixed(2) })),
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, draft } = await startedBidPage(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form);
  const errors: Record<string, string> = {};
  const prices = draft.prices.map((p) => {
    const typed = String(form.get(`price-${p.id}`) ?? "");
    const pence = penceFromPounds(typed);
    if (Number.isNaN(pence)) errors[`price-${p.id}`] = `Enter the ${p.label.toLowerCase()} as an amount of money, like 4250.00`;
    return { priceItemId: p.id, amountPence: pence };
  });
  if (Object.keys(errors).length > 0) return data({ errors, values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      setBidPrices(trx, { tenderId: view.tender.id, expectedVersion: Number(form.get("expectedVersion")), prices }, actionContext(portal)),
    );
  } catch (error) {
    if (error instanceof PricesInvalid) return data({ errors: Object.fromEntries(error.problems.map((p) => [p.field, p.message])), values }, { status: 400 });
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values }, { status: 400 });
    throw error;
  }
  return redirect(bidPath(view.tender.id), { headers: { "Set-Cookie": portal.flashCookie({ title: "Your prices have been saved" }) } });
}

export default function BidPrices() {
  const { tender, version, lots } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const order = lots.flatMap((l) => l.items.map((i) => `price-${i.id}`));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={bidPath(tender.id)}>Back to your bid</BackLink>
        <ErrorSummary errors={result?.errors} order={order} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Your prices</h1>
        {lots.length === 0 ? <p className="govuk-body">Choose the lots you bid for first.</p> : null}
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          {lots.map((lot) => (
            <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={lot.id}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h2 className="govuk-fieldset__heading">{lot.label}</h2>
              </legend>
              {lot.items.map((item) => {
                const name = `price-${item.id}`;
                const error = result?.errors?.[name];
                return (
                  <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`} key={item.id}>
                    <label className="govuk-label" htmlFor={name}>
                      {item.label}, per {item.unit}
                    </label>
                    {error ? (
                      <p id={`${name}-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {error}
                      </p>
                    ) : null}
                    <div className="govuk-input__wrapper">
                      <div className="govuk-input__prefix" aria-hidden="true">
                        £
                      </div>
                      <input
                        className={`govuk-input govuk-input--width-10${error ? " govuk-input--error" : ""}`}
                        id={name}
                        name={name}
                        type="text"
                        inputMode="decimal"
                        spellCheck={false}
                        defaultValue={result?.values?.[name] ?? item.amount}
                        aria-describedby={error ? `${name}-error` : undefined}
                      />
                    </div>
                  </div>
                );
              })}
            </fieldset>
          ))}
          {lots.length > 0 ? <Button>Save prices</Button> : null}
        </PostForm>
      </div>
    </div>
  );
}
