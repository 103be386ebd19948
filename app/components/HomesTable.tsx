import type { HomeListItem } from "#app/modules/homes/homes";
import { Table } from "./govuk";
import { useInPageLinks } from "./in-page-links";

/** A full HomeSummary fits too. */
type HomeRow = HomeListItem;

export function HomesTable({ homes, caption, showProvider }: { homes: HomeRow[]; caption: string; showProvider: boolean }) {
  const openLink = useInPageLinks();
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
