// How a vacancy reads on the market's pages: in words, with its freshness.
import { Tag } from "#app/components/govuk";
import { ukDate, ukDateTime } from "#app/web/format";

export interface VacancyWords {
  bedsFreeNow: number | null;
  bedsFreeFrom: { on: string; beds: number } | null;
  needs: string[];
}

function beds(n: number): string {
  return `${n} bed${n === 1 ? "" : "s"}`;
}

/** "2 beds free now; 1 bed free from 4 January 2027", or that none is recorded. */
export function vacancyInWords(v: VacancyWords): string {
  if (v.bedsFreeNow === null) return "No vacancy recorded";
  const parts = [v.bedsFreeNow === 0 ? "No beds free now" : `${beds(v.bedsFreeNow)} free now`];
  if (v.bedsFreeFrom) parts.push(`${beds(v.bedsFreeFrom.beds)} free from ${ukDate(v.bedsFreeFrom.on)}`);
  return parts.join("; ");
}

/** The needs a vacancy could meet, by their labels; none listed means any the home meets. */
export function vacancyNeedsInWords(needs: string[], labels: Record<string, string>): string {
  return needs.length ? needs.map((n) => labels[n] ?? n).join(", ") : "Any the home meets";
}

/** When it was last confirmed, with a "Stale" tag once older than 7 days (or never confirmed). */
export function Freshness({ lastConfirmedAt, stale }: { lastConfirmedAt: string | null; stale: boolean }) {
  return (
    <>
      {lastConfirmedAt ? `Last confirmed ${ukDateTime(lastConfirmedAt)}` : "Never confirmed"}
      {stale ? (
        <>
          {" "}
          <Tag colour="orange">Stale</Tag>
        </>
      ) : null}
    </>
  );
}
