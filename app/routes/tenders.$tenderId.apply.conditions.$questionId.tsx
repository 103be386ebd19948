// One condition of participation in the provider's application: a pass/fail
// condition (does the organisation meet it, and how, naming the evidence the
// council asks for, with files uploaded or picked from the evidence library)
// or a declaration to make. What was typed is kept when the page shows an
// error. Shared with requests to participate: app/web/conditions.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConditionPage } from "#app/components/tendering/ConditionPages";
import { conditionAction, conditionLoader } from "#app/web/conditions.server";
import { applyPath } from "#app/web/market-paths";
import { pageMeta } from "#app/web/page-title";
import { applyFlow } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Condition ${data.condition.number}` : "Condition");

export const loader = ({ request, params, context }: LoaderFunctionArgs) => conditionLoader(applyFlow, request, context.portal, params);

export const action = ({ request, params, context }: ActionFunctionArgs) => conditionAction(applyFlow, request, context.portal, params);

export default function ApplicationCondition() {
  return <ConditionPage path={applyPath} backLabel="Back to your application" loaded={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
