import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Select, TextInput } from "#app/components/govuk";
import { RecordNotFound } from "#app/modules/errors";
import { getHome, SERVICE_TYPE_LABELS } from "#app/modules/homes/homes";
import { GENDER_LABELS, getStatementOfPurpose, listNeeds, setStatementOfPurpose, updateHomeRegistration } from "#app/modules/homes/statement-of-purpose";
import { searchChoices } from "#app/modules/placements/search";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Statement of Purpose: ${data.home.name}` : "Statement of Purpose");

const wholeNumber = (missing: string, wrong: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .regex(/^\d{1,3}$/, wrong)
    .transform(Number);

const statementForm = z.object({
  homeVersion: z.coerce.number().int(),
  statementVersion: z.coerce.number().int(),
  serviceType: z.string().min(1, "Select the type of service"),
  registeredPlaces: wholeNumber("Enter the registered places", "Enter the registered places as a whole number, like 4"),
  postcode: z.string().trim().min(1, "Enter the home's postcode or postcode district"),
  ageMin: wholeNumber("Enter the youngest age", "Enter the youngest age as a whole number of years"),
  ageMax: wholeNumber("Enter the oldest age", "Enter the oldest age as a whole number of years"),
  genders: z.array(z.string()).min(1, "Select the genders the home looks after"),
  needs: z.array(z.string()).min(1, "Select the needs the home meets"),
  lotIds: z.array(z.string()),
});
const ORDER = ["serviceType", "registeredPlaces", "postcode", "ageMin", "ageMax", "genders", "needs", "lotIds"];
const MULTI = ["genders", "needs", "lotIds"];

async function ownHome(request: Request, portal: Parameters<typeof authorise>[1], homeId: string) {
  requireActor(request, portal);
  const home = await getHome(portal.db, homeId);
  if (!home) throw notFound();
  authorise(request, portal, "home.editStatementOfPurpose", { kind: "home", organisationId: home.organisationId });
  return home;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const home = await ownHome(request, portal, params.homeId ?? "");
  const [statement, needs, choices] = await Promise.all([getStatementOfPurpose(portal.db, home.id), listNeeds(portal.db), searchChoices(portal.db)]);
  return {
    home: { id: home.id, name: home.name, providerName: home.providerName, version: home.version },
    current: {
      serviceType: home.serviceType,
      registeredPlaces: String(home.registeredPlaces),
      postcode: home.postcodeDistrict,
      ageMin: statement ? String(statement.ageMin) : "",
      ageMax: statement ? String(statement.ageMax) : "",
      genders: statement?.genders ?? [],
      needs: statement?.needs ?? [],
      lotIds: statement?.lotIds ?? [],
      statementVersion: statement?.version ?? 0,
    },
    needs,
    lots: choices.agreements.flatMap((a) => a.lots.map((l) => ({ value: l.id, label: `${a.reference} lot ${l.number}: ${l.title}` }))),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const home = await ownHome(request, portal, params.homeId ?? "");
  const form = await request.formData();
  const values = {
    fields: keptValues(form),
    genders: form.getAll("genders").map(String),
    needs: form.getAll("needs").map(String),
    lotIds: form.getAll("lotIds").map(String),
  };
  const parsed = statementForm.safeParse(formObject(form, MULTI));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  const input = parsed.data;
  try {
    await portal.db.transaction().execute(async (trx) => {
      const ctx = actionContext(portal);
      await updateHomeRegistration(
        trx,
        {
          homeId: home.id,
          expectedVersion: input.homeVersion,
          serviceType: input.serviceType,
          registeredPlaces: input.registeredPlaces,
          postcode: input.postcode,
        },
        ctx
      );
      await setStatementOfPurpose(
        trx,
        {
          homeId: home.id,
          expectedVersion: input.statementVersion,
          ageMin: input.ageMin,
          ageMax: input.ageMax,
          genders: input.genders,
          needs: input.needs,
          lotIds: input.lotIds,
        },
        ctx
      );
    });
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/homes/${home.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: `Statement of Purpose of ${home.name} saved` }) } });
}

export default function StatementOfPurpose() {
  const { home, current, needs, lots } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const typed = result?.values;
  const field = (name: "serviceType" | "registeredPlaces" | "postcode" | "ageMin" | "ageMax") => typed?.fields[name] ?? current[name];
  const errors = result?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/homes/${home.id}`}>Back to {home.name}</BackLink>
        <ErrorSummary errors={errors} order={ORDER} />
        <span className="govuk-caption-l">{home.providerName}</span>
        <h1 className="govuk-heading-l">Statement of Purpose: {home.name}</h1>
        {errors?.form ? (
          <p className="govuk-body">
            The form shows what you entered.{" "}
            <a className="govuk-link" href={`/homes/${home.id}/statement-of-purpose`}>
              Start again from the current Statement of Purpose
            </a>
            .
          </p>
        ) : null}
        <PostForm>
          <input type="hidden" name="homeVersion" value={typed?.fields.homeVersion ?? home.version} />
          <input type="hidden" name="statementVersion" value={typed?.fields.statementVersion ?? current.statementVersion} />
          <h2 className="govuk-heading-m">Registration</h2>
          <Select
            name="serviceType"
            label="Type of service"
            options={Object.entries(SERVICE_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={field("serviceType")}
            error={errors?.serviceType}
          />
          <TextInput name="registeredPlaces" label="Registered places" width="10" defaultValue={field("registeredPlaces")} error={errors?.registeredPlaces} />
          <TextInput
            name="postcode"
            label="Postcode"
            hint="Only the postcode district (the first part, like EX4) is kept and shown to commissioners."
            width="10"
            autoComplete="postal-code"
            defaultValue={field("postcode")}
            error={errors?.postcode}
          />
          <h2 className="govuk-heading-m">Who the home looks after</h2>
          <TextInput name="ageMin" label="Youngest age" hint="In years" width="10" defaultValue={field("ageMin")} error={errors?.ageMin} />
          <TextInput name="ageMax" label="Oldest age" hint="In years" width="10" defaultValue={field("ageMax")} error={errors?.ageMax} />
          <Checkboxes
            name="genders"
            legend="Genders"
            options={Object.entries(GENDER_LABELS).map(([value, label]) => ({ value, label }))}
            checked={typed?.genders ?? current.genders}
            error={errors?.genders}
          />
          <Checkboxes
            name="needs"
            legend="Needs the home meets"
            options={needs.map((n) => ({ value: n.code, label: n.label }))}
            checked={typed?.needs ?? current.needs}
            error={errors?.needs}
          />
          <Checkboxes
            name="lotIds"
            legend="Agreements and lots the home is on"
            hint="Leave all unticked if it is on none yet."
            options={lots}
            checked={typed?.lotIds ?? current.lotIds}
            error={errors?.lotIds}
          />
          <Button>Save Statement of Purpose</Button>
        </PostForm>
      </div>
    </div>
  );
}
