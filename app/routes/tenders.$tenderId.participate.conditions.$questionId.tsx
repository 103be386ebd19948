// One condition of participation in the provider's request: met and how
// (with files uploaded or picked from the evidence library), or the
// declaration made. What was typed is kept when the page shows an error.
// Shared with market applications: app/web/conditions.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConditionPage } from "#app/components/tendering/ConditionPages";
import { conditionAction, conditionLoader } from "#app/web/conditions.server";
import { pageMeta } from "#app/web/page-title";
import { participatePath } from "#app/web/participation-paths";
import { participateFlow } from "./tenders.$tenderId.participate.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Condition ${data.condition.number}` : "Condition");

export const loader = ({ request, params, context }: LoaderFunctionArgs) => conditionLoader(participateFlow, request, context.portal, params);

export const action = ({ request, params, context }: ActionFunctionArgs) => conditionAction(participateFlow, request, context.portal, params);

export default function RequestCondition() {
  return <ConditionPage path={participatePath} backLabel="Back to your request" loaded={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
