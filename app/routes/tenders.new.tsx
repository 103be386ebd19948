import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, Select, TextInput } from "#app/components/govuk";
import { LightTouchRadios } from "#app/components/tendering/fields";
import { agreementsToTender, createTender, isTenderProcedure, PROCEDURES } from "#app/modules/tendering/tenders";
import type { Actor } from "#app/modules/identity/actor";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues, type FieldErrors } from "#app/web/forms";
import { authorise, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Create a tender");

const PROCEDURE_HINTS: Record<keyof typeof PROCEDURES, string> = {
  open: "Any provider may bid.",
  competitive_flexible: "Stages you design, such as conditions of participation first, then full bids from those who pass.",
  open_framework: "A framework re-opened to new providers at least once in its first 3 years, then every 5 years.",
  dynamic_market: "Providers apply to join at any time; call-offs are competed among members.",
};

const newTenderForm = z.object({
  agreementId: z.string().min(1, "Select the agreement this tender is for"),
  title: z.string().trim().min(1, "Enter the title").max(200, "Title must be 200 characters or fewer"),
  procedure: z.string({ message: "Select the procedure" }).refine(isTenderProcedure, "Select the procedure"),
  lightTouch: z.enum(["yes", "no"], { message: "Select whether the light-touch regime applies" }),
});

/** A draft is created by a commissioning officer of the council that leads the agreement. */
function authoriseCreate(request: Request, portal: Parameters<typeof requireActor>[1]): Actor {
  const actor = requireActor(request, portal);
  return authorise(request, portal, "tender.create", { kind: "tender", councilId: actor.organisationId, status: "draft", everPublished: false });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authoriseCreate(request, context.portal);
  const agreements = await agreementsToTender(context.portal.db, actor.organisationId);
  return { agreements: agreements.map((a) => ({ value: a.id, label: `${a.title} (${a.reference})` })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = authoriseCreate(request, portal);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = newTenderForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  // Only the agreements this council leads can be chosen, whatever id the form sends.
  const agreements = await agreementsToTender(portal.db, actor.organisationId);
  if (!agreements.some((a) => a.id === parsed.data.agreementId)) {
    const errors: FieldErrors = { agreementId: "Select the agreement this tender is for" };
    return data({ errors, values }, { status: 400 });
  }
  let id: string;
  try {
    ({ id } = await portal.db.transaction().execute((trx) =>
      createTender(
        trx,
        { agreementId: parsed.data.agreementId, title: parsed.data.title, procedure: parsed.data.procedure as keyof typeof PROCEDURES, lightTouch: parsed.data.lightTouch === "yes" },
        actionContext(portal),
      ),
    ));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/tenders/${id}/edit`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Draft tender created", body: "Now add its summary, timeline and lots. Only your council can see it until it is published." }) },
  });
}

export default function NewTender() {
  const { agreements } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/tenders" />
        <ErrorSummary errors={result?.errors} order={["agreementId", "title", "procedure", "lightTouch"]} />
        <h1 className="govuk-heading-l">Create a tender</h1>
        <p className="govuk-body">This makes a draft that only your council can see. You add the timeline, lots and questionnaire next.</p>
        <PostForm>
          <Select
            name="agreementId"
            label="Agreement"
            hint="Agreements your council leads"
            options={[{ value: "", label: "Select an agreement" }, ...agreements]}
            defaultValue={v?.agreementId ?? ""}
            error={result?.errors.agreementId}
          />
          <TextInput name="title" label="Title" hint="What providers will see in the list of tenders" defaultValue={v?.title} error={result?.errors.title} />
          <Radios
            name="procedure"
            legend="Procedure"
            options={Object.entries(PROCEDURES).map(([value, p]) => ({ value, label: p.label, hint: PROCEDURE_HINTS[value as keyof typeof PROCEDURES] }))}
            checked={v?.procedure}
            error={result?.errors.procedure}
          />
          <LightTouchRadios checked={v?.lightTouch} error={result?.errors.lightTouch} />
          <Button>Create draft tender</Button>
        </PostForm>
      </div>
    </div>
  );
}
