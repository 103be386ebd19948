// Public: a provider registers its organisation. Nothing is created until
// the emailed link is followed (app/modules/organisations/sign-up.ts); the
// answer is the same whether or not the address already has an account.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { requestSignUp, signUpProblems } from "#app/modules/organisations/sign-up";
import { actionContext } from "#app/web/context";
import { emailAddressField, fieldErrors, keptValues } from "#app/web/forms";
import { refusalErrors } from "#app/web/refusals";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Register your organisation");

/** The organisation's numbers on the public registers: short codes, typed as given. */
const IDENTIFIERS = [
  {
    name: "companiesHouseNumber",
    label: "Companies House number",
    hint: "8 characters, like 01234567, or with a prefix like SC123456, NI123456 or OC123456. Leave blank if your organisation is a charity but not a company.",
  },
  {
    name: "charityNumber",
    label: "Charity number (if you are a charity)",
    hint: "England and Wales: 6 to 8 digits, like 1123456. Scotland: SC and 6 digits, like SC012345.",
  },
  {
    name: "ppon",
    label: "PPON (Public Procurement Organisation Number)",
    hint: "Your supplier number from the Central Digital Platform, like ABCD-1234-EFGH",
  },
] as const;

const FIELDS = ["name", "companiesHouseNumber", "charityNumber", "ppon", "addressLine1", "addressLine2", "town", "postcode", "fullName", "email"];

const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be ${max} characters or fewer`);

/** Presence and length; formats and duplicates are the module's (checkSignUp). */
const signUpForm = z
  .object({
    name: text(200, "Organisation name").min(1, "Enter your organisation's name"),
    companiesHouseNumber: text(20, "Companies House number").default(""),
    charityNumber: text(20, "Charity number").default(""),
    ppon: text(20, "PPON").min(1, "Enter your organisation's PPON"),
    addressLine1: text(200, "Address line 1").min(1, "Enter the first line of the registered address"),
    addressLine2: text(200, "Address line 2").default(""),
    town: text(100, "Town or city").min(1, "Enter the town or city of the registered address"),
    postcode: text(10, "Postcode").min(1, "Enter the postcode of the registered address"),
    fullName: text(200, "Full name").min(1, "Enter your full name"),
    email: emailAddressField("Enter your email address"),
  })
  .superRefine((v, ctx) => {
    if (!v.companiesHouseNumber && !v.charityNumber) {
      ctx.addIssue({
        code: "custom",
        path: ["companiesHouseNumber"],
        message: "Enter the Companies House number, or a charity number if your organisation is a charity but not a company",
      });
    }
  });

export async function loader({ context }: LoaderFunctionArgs) {
  // Someone already signed in registers nothing: they invite colleagues instead.
  if (context.portal.actor) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  if (portal.actor) throw redirect("/");
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = signUpForm.safeParse(Object.fromEntries(FIELDS.map((f) => [f, values[f] ?? ""])));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  const problems = signUpProblems(parsed.data);
  if (Object.keys(problems).length > 0) return data({ errors: problems, values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => requestSignUp(trx, parsed.data, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect("/sign-up/check-your-email", {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `Email sent to ${parsed.data.email}`,
        body: "Follow the link in it within 24 hours to finish registering.",
      }),
    },
  });
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  const v = result?.values ?? {};
  const e = result?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={FIELDS} />
        <h1 className="govuk-heading-l">Register your organisation</h1>
        <p className="govuk-body">
          Register once to bid for every tender of the councils and consortia on this portal, and keep your evidence (Ofsted registration, insurance
          certificates, policies) in one place. You will be your organisation's first user and can then invite colleagues.
        </p>
        <p className="govuk-body">
          If your organisation is already registered, ask one of its users to invite you. Already have an account?{" "}
          <Link className="govuk-link" to="/sign-in">
            Sign in
          </Link>
          .
        </p>
        <PostForm>
          <h2 className="govuk-heading-m">Your organisation</h2>
          <TextInput name="name" label="Organisation name" hint="As registered with Companies House or the Charity Commission" autoComplete="organization" defaultValue={v.name} error={e.name} />
          {IDENTIFIERS.map((field) => (
            <TextInput key={field.name} {...field} width="10" spellCheck={false} defaultValue={v[field.name]} error={e[field.name]} />
          ))}
          <h2 className="govuk-heading-m">Registered address</h2>
          <TextInput name="addressLine1" label="Address line 1" autoComplete="address-line1" defaultValue={v.addressLine1} error={e.addressLine1} />
          <TextInput name="addressLine2" label="Address line 2 (optional)" autoComplete="address-line2" defaultValue={v.addressLine2} error={e.addressLine2} />
          <TextInput name="town" label="Town or city" autoComplete="address-level2" width="two-thirds" defaultValue={v.town} error={e.town} />
          <TextInput name="postcode" label="Postcode" autoComplete="postal-code" width="10" defaultValue={v.postcode} error={e.postcode} />
          <h2 className="govuk-heading-m">About you</h2>
          <TextInput name="fullName" label="Full name" autoComplete="name" spellCheck={false} defaultValue={v.fullName} error={e.fullName} />
          <TextInput
            name="email"
            type="email"
            label="Email address"
            hint="We will send a link to this address to confirm it is yours"
            autoComplete="email"
            spellCheck={false}
            defaultValue={v.email}
            error={e.email}
          />
          <Button>Continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
