import { Link, MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { Table } from "#app/components/govuk";
import { Freshness } from "#app/components/market/vacancy";
import { distanceInWords, searchColumns } from "#app/components/market/search-columns";
import { searchRowsHtml, type SearchRow } from "#app/components/market/search-rows.server";
import { reactMarkup } from "#test/support/react-markup";

const hostile = `<img src=x onerror="alert('x')"> & more`;

const rows: SearchRow[] = [
  {
    homeId: "0b6c3f7e-1d2a-4c55-9a1e-1f2e3d4c5b6a",
    name: `Harbour View ${hostile}`,
    providerName: `Fernlea Care ${hostile}`,
    postcodeDistrict: "EX4",
    distanceMiles: 1,
    gradeLabel: "Good",
    ages: "8 to 17",
    vacancy: "2 beds free now; 1 bed free from 4 January 2027",
    lastConfirmedAt: "2026-11-30T09:15:00.000Z",
    stale: false,
    fee: "£4,800.00",
  },
  { homeId: "b", name: "Moor House", providerName: "Moorland", postcodeDistrict: "PL12", distanceMiles: 23.4, gradeLabel: "Outstanding", ages: "Not recorded", vacancy: "No vacancy recorded", lastConfirmedAt: "2026-07-01T12:00:00.000Z", stale: true, fee: "Fee not recorded" },
  { homeId: "c", name: "Zed", providerName: "Z", postcodeDistrict: "ZZ9", distanceMiles: null, gradeLabel: "Not yet inspected", ages: "0 to 3", vacancy: "No beds free now", lastConfirmedAt: null, stale: true, fee: "£1.00" },
];

// The rows as the page's React table drew them before they became a string (decision 054).
function ReactRows({ withDistance }: { withDistance: boolean }) {
  return (
    <MemoryRouter>
      <Table
        caption="Homes"
        rows={rows}
        rowKey={(h) => h.homeId}
        columns={[
          {
            header: "Home",
            cell: (h) => (
              <>
                <Link className="govuk-link" to={`/homes/${h.homeId}`}>
                  {h.name}
                </Link>
                <br />
                <span className="govuk-body-s">{h.providerName}</span>
              </>
            ),
          },
          { header: "District", cell: (h) => h.postcodeDistrict },
          ...(withDistance ? [{ header: "Distance", cell: (h: SearchRow) => distanceInWords(h.distanceMiles) }] : []),
          { header: "Ofsted grade", cell: (h) => h.gradeLabel },
          { header: "Ages", cell: (h) => h.ages },
          { header: "Vacancy", cell: (h) => h.vacancy },
          { header: "Confirmed", cell: (h) => <Freshness lastConfirmedAt={h.lastConfirmedAt} stale={h.stale} /> },
          { header: "Weekly fee", cell: (h) => h.fee },
        ]}
      />
    </MemoryRouter>
  );
}

describe("the placement search's rows written as HTML", () => {
  it("are the rows React's table drew, with and without distances, whatever the words hold", () => {
    for (const withDistance of [true, false]) {
      const body = /<tbody class="govuk-table__body">(.*)<\/tbody>/.exec(reactMarkup(<ReactRows withDistance={withDistance} />))![1]!;
      expect(searchRowsHtml(rows, withDistance)).toBe(body.replaceAll("&#x27;", "&#39;"));
      expect(searchColumns(withDistance).map((c) => c.header)).toEqual(
        withDistance ? ["Home", "District", "Distance", "Ofsted grade", "Ages", "Vacancy", "Confirmed", "Weekly fee"] : ["Home", "District", "Ofsted grade", "Ages", "Vacancy", "Confirmed", "Weekly fee"],
      );
    }
  });

  it("show markup in a name as text, and flag stale vacancies", () => {
    const markup = searchRowsHtml(rows, true);
    expect(markup).not.toContain("<img");
    expect(markup).toContain(`>Harbour View &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; more</a>`);
    expect(markup.match(/govuk-tag--orange">Stale</g)).toHaveLength(2);
    expect(markup).toContain("<td class=\"govuk-table__cell\">Distance unknown</td>");
    expect(markup).toContain("<td class=\"govuk-table__cell\">1 mile</td>");
  });
});
