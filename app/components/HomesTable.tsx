import { Link } from "@remix-run/react";

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
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Home or service
          </th>
          {showProvider ? (
            <th scope="col" className="govuk-table__header">
              Provider
            </th>
          ) : null}
          <th scope="col" className="govuk-table__header">
            Type
          </th>
          <th scope="col" className="govuk-table__header">
            Area
          </th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Places
          </th>
          <th scope="col" className="govuk-table__header">
            Ofsted
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {homes.map((h) => (
          <tr className="govuk-table__row" key={h.id}>
            <td className="govuk-table__cell">
              <Link className="govuk-link" to={`/homes/${h.id}`}>
                {h.name}
              </Link>
            </td>
            {showProvider ? <td className="govuk-table__cell">{h.providerName}</td> : null}
            <td className="govuk-table__cell">{h.serviceTypeLabel}</td>
            <td className="govuk-table__cell">{h.postcodeDistrict}</td>
            <td className="govuk-table__cell govuk-table__cell--numeric">{h.registeredPlaces}</td>
            <td className="govuk-table__cell">{h.latestGradeLabel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
