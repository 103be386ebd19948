// Check your answers before requesting to participate: every condition's
// answer and evidence with a link to change it; anything missing or not met
// is listed first as a link to it, and the request cannot be submitted until
// it is put right. Shared with market applications: app/web/conditions.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CheckConditions } from "#app/components/tendering/ConditionPages";
import { checkAction, checkLoader } from "#app/web/conditions.server";
import { pageMeta } from "#app/web/page-title";
import { participatePath } from "#app/web/participation-paths";
import { participateFlow } from "./tenders.$tenderId.participate.server";

export const meta: MetaFunction = () => pageMeta("Check your request to participate");

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => (await checkLoader(participateFlow, request, context.portal, params.tenderId)).data;

export const action = ({ request, params, context }: ActionFunctionArgs) => checkAction(participateFlow, request, context.portal, params.tenderId);

export default function CheckRequest() {
  return (
    <CheckConditions
      path={participatePath}
      backLabel="Back to your request"
      heading="Check your request to participate"
      notReady="Your request is not ready to submit"
      submitHeading="Request to participate"
      confirm="By submitting you confirm that these answers are true and that you may request to participate for your organisation."
      submitLabel="Submit request"
      loaded={useLoaderData<typeof loader>()}
      result={useActionData<typeof action>()}
    />
  );
}
