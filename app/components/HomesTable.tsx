import { Link } from "@remix-run/react";
import { Table } from "./govuk";

export interface HomeRow {
  id: string;
  name: string;
  providerName: string;
  serviceTypeLabel: string;
  postcodeDistrict: string;
  registeredPlaces: number;
  latestGradeLabel: string;
}

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
