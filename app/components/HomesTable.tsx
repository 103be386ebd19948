import { Link } from "@remix-run/react";
import type { HomeListItem } from "#app/modules/homes/homes";
import { Table } from "./govuk";

/** A full HomeSummary fits too. */
type HomeRow = HomeListItem;

export function HomesTable({ homes, caption, showProvider }: { homes: HomeRow[]; caption: string; showProvider: boolean }) {
  return (
    <Table
      caption={caption}
      rows={homes}
      rowKey={(h) => h.id}
      columns={[
        {
          header: "Home or service",
          cell: (h) => (
            <Link className="govuk-link" to={`/homes/${h.id}`}>
              {h.name}
            </Link>
          ),
        },
        ...(showProvider ? [{ header: "Provider", cell: (h: HomeRow) => h.providerName }] : []),
        { header: "Type", cell: (h) => h.serviceTypeLabel },
        { header: "Area", cell: (h) => h.postcodeDistrict },
        { header: "Places", cell: (h) => h.registeredPlaces, numeric: true },
        { header: "Ofsted", cell: (h) => h.latestGradeLabel },
      ]}
    />
  );
}
