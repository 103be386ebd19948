import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TenderStatusTag } from "#app/components/tendering/fields";
import { tenderCards } from "#app/components/tendering/tender-cards.server";
import type { TenderRow } from "#app/components/tendering/tender-row.server";

const hostile = `<img src=x onerror="alert('x')"> & more`;

const rows: TenderRow[] = [
  {
    id: "0b6c3f7e-1d2a-4c55-9a1e-1f2e3d4c5b6a",
    title: `Residential homes ${hostile}`,
    status: "published",
    open: true,
    agreement: `Framework ${hostile}, led by Westmoor`,
    procedure: "Open procedure (light-touch regime)",
    dates: [
      { label: "Published", value: "9am on Monday 30 November 2026" },
      { label: "Closes", value: `midday ${hostile}` },
    ],
    lots: ["Lot 1: Homes for one", `Lot 2: ${hostile}`],
    value: "£1.2m",
  },
  { id: "b", title: "Closed one", status: "published", open: false, agreement: "A", procedure: "P", dates: [], lots: [], value: "Not given" },
  { id: "c", title: "Cancelled one", status: "cancelled", open: false, agreement: "A", procedure: "P", dates: [], lots: ["Lot 1: x"], value: "£5" },
  { id: "d", title: "A draft", status: "draft", open: false, agreement: "A", procedure: "P", dates: [{ label: "To be published", value: "soon" }], lots: [], value: "Not given" },
];

// The cards as the page's React component wrote them before they became a string (decision 041): the string must be the same page.
function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className="govuk-list govuk-!-margin-bottom-0">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
function ReactCards({ rows }: { rows: TenderRow[] }) {
  return (
    <>
      {rows.map((t) => (
        <div className="govuk-summary-card" key={t.id}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">
              <a className="govuk-link" href={`/tenders/${t.id}`}>
                {t.title}
              </a>
            </h3>
          </div>
          <div className="govuk-summary-card__content">
            <dl className="govuk-summary-list">
              {[
                { key: "Status", value: <TenderStatusTag status={t.status} open={t.open} /> },
                { key: "Agreement", value: t.agreement },
                { key: "Procedure", value: t.procedure },
                { key: "Key dates (UK time)", value: <List items={t.dates.map((d) => `${d.label}: ${d.value}`)} empty="Not set yet" /> },
                { key: "Lots", value: <List items={t.lots} empty="None chosen yet" /> },
                { key: "Estimated value", value: t.value },
              ].map((row) => (
                <div className="govuk-summary-list__row" key={row.key}>
                  <dt className="govuk-summary-list__key">{row.key}</dt>
                  <dd className="govuk-summary-list__value">{row.value}</dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      ))}
    </>
  );
}

describe("the /tenders cards written as HTML", () => {
  it("are the markup React wrote for the same tenders, whatever their words hold", () => {
    // React writes an apostrophe as &#x27;, the html template as &#39;: the same character.
    expect(tenderCards(rows)).toBe(renderToStaticMarkup(<ReactCards rows={rows} />).replaceAll("&#x27;", "&#39;"));
  });

  it("show markup in a title, agreement, date or lot as text, never as an element", () => {
    const markup = tenderCards(rows.slice(0, 1));
    expect(markup).not.toContain("<img");
    expect(markup).toContain("Residential homes &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; more</a>");
    expect(markup).toContain("<li>Lot 2: &lt;img src=x");
    expect(markup).toContain("<li>Closes: midday &lt;img src=x");
  });

  it("tag each tender with its status", () => {
    const tags = [...tenderCards(rows).matchAll(/<strong class="govuk-tag govuk-tag--(\w+)">([^<]*)<\/strong>/g)].map(([, colour, text]) => `${colour}: ${text}`);
    expect(tags).toEqual(["green: Open for bids", "yellow: Closed", "red: Cancelled", "grey: Draft"]);
  });
});
