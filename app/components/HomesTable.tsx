import { useNavigate } from "@remix-run/react";
import type { MouseEvent } from "react";
import type { HomeListItem } from "#app/modules/homes/homes";
import { Table } from "./govuk";

/** A full HomeSummary fits too. */
type HomeRow = HomeListItem;

/**
 * Opens a row's link in the page, as a Remix <Link> would, with one click
 * handler for the whole table: a <Link> in each of 50 rows took about a
 * tenth of the time it took the server to build the page. Clicks that mean
 * something else (a new tab, a download, another site) are left to the
 * browser, and without JavaScript the rows are plain links.
 */
function useRowLinks() {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download") || link.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}${link.hash}`);
  };
}

export function HomesTable({ homes, caption, showProvider }: { homes: HomeRow[]; caption: string; showProvider: boolean }) {
  const openLink = useRowLinks();
  return (
    // The clicks handled are the links' own (Enter on a focused link is a click too).
    <div onClick={openLink}>
      <Table
        caption={caption}
        rows={homes}
        rowKey={(h) => h.id}
        columns={[
          {
            header: "Home or service",
            cell: (h) => (
              <a className="govuk-link" href={`/homes/${h.id}`}>
                {h.name}
              </a>
            ),
          },
          ...(showProvider ? [{ header: "Provider", cell: (h: HomeRow) => h.providerName }] : []),
          { header: "Type", cell: (h) => h.serviceTypeLabel },
          { header: "Area", cell: (h) => h.postcodeDistrict },
          { header: "Places", cell: (h) => h.registeredPlaces, numeric: true },
          { header: "Ofsted", cell: (h) => h.latestGradeLabel },
        ]}
      />
    </div>
  );
}
