// The placement search table's columns, read by the page in the server's render
// and in the browser; its rows are written on the server (search-rows.server.ts).

/** The table's headers: the distance only when the search was from a district. */
export function searchColumns(withDistance: boolean): { header: string }[] {
  return ["Home", "District", ...(withDistance ? ["Distance"] : []), "Ofsted grade", "Ages", "Vacancy", "Confirmed", "Weekly fee"].map((header) => ({ header }));
}

export function distanceInWords(miles: number | null): string {
  return miles === null ? "Distance unknown" : `${miles} mile${miles === 1 ? "" : "s"}`;
}
