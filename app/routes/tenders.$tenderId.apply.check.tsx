// Check your answers before applying: the lots and every condition's answer
// and evidence with a link to change it; anything missing or not met is
// listed first as a link to it, and the application cannot be submitted
// until it is put right. Shared with requests: app/web/conditions.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SummaryList } from "#app/components/govuk";
import { CheckConditions } from "#app/components/tendering/ConditionPages";
import { checkAction, checkLoader } from "#app/web/conditions.server";
import { applyPath } from "#app/web/market-paths";
import { pageMeta } from "#app/web/page-title";
import { applyFlow } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction = () => pageMeta("Check your application");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { page, data } = await checkLoader(applyFlow, request, context.portal, params.tenderId);
  return { ...data, lots: page.view.lots.filter((l) => page.draft.lotIds.includes(l.id)).map((l) => `Lot ${l.number}: ${l.title}`) };
}

export const action = ({ request, params, context }: ActionFunctionArgs) => checkAction(applyFlow, request, context.portal, params.tenderId);

export default function CheckApplication() {
  const loaded = useLoaderData<typeof loader>();
  return (
    <CheckConditions
      path={applyPath}
      backLabel="Back to your application"
      heading="Check your application"
      notReady="Your application is not ready to submit"
      submitHeading="Apply to join the market"
      confirm="By submitting you confirm that these answers are true and that you may apply for your organisation."
      submitLabel="Submit application"
      loaded={loaded}
      result={useActionData<typeof action>()}
    >
      <h2 className="govuk-heading-m">Lots</h2>
      <SummaryList
        rows={[
          {
            key: "Lots applied for",
            value: loaded.lots.length ? loaded.lots.join(", ") : "None chosen",
            action: { href: applyPath(loaded.tender.id, "/lots"), label: "Change", hidden: "the lots applied for" },
          },
        ]}
      />
    </CheckConditions>
  );
}
