// The short breaks figures for a year as a CSV download, split by funder.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ukDate } from "#app/modules/common/input";
import { shortBreakCsv, shortBreakReport } from "#app/modules/utilisation/short-breaks";
import { authorise } from "#app/web/guard.server";
import { financialYearOf } from "#app/web/utilisation.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "shortBreaks.view");
  const year = financialYearOf(new URL(request.url));
  const report = await shortBreakReport(portal.db, { year, tonight: ukDate(new Date()) });
  return new Response(shortBreakCsv(report), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="short-breaks-${year.from.slice(0, 4)}-${year.to.slice(0, 4)}.csv"`,
    },
  });
}
