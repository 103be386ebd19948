// One condition of participation as a provider answers it: a pass/fail
// condition (meets it, and how, naming the evidence the council asks for) or a
// declaration to make. Shared by a dynamic market's applications and a
// competitive flexible tender's requests to participate.
import { z } from "zod";
import { Checkboxes, Radios, SummaryList, Textarea, type FieldErrors } from "#app/components/govuk";
import type { ApplicationAnswer, Condition } from "#app/modules/tendering/dynamic-markets";

// The module holds the rules (evidence needed when met, declarations made); this only shapes the form.
export const conditionForm = z.object({
  expectedVersion: z.coerce.number().int(),
  meetsRequirement: z.enum(["yes", "no"], { error: "Select yes if your organisation meets this condition, or no if it does not" }).optional(),
  evidence: z.string().max(5000, "Keep what you say to 5000 characters or fewer").optional(),
  declared: z.literal("yes").optional(),
});

export const CONDITION_ERROR_ORDER = ["meetsRequirement", "evidence", "declared"];

/** The module's input from the parsed form. */
export function conditionInput(parsed: z.infer<typeof conditionForm>) {
  return {
    expectedVersion: parsed.expectedVersion,
    meetsRequirement: parsed.meetsRequirement === undefined ? null : parsed.meetsRequirement === "yes",
    evidence: parsed.evidence ?? null,
    declared: parsed.declared === "yes",
  };
}

/** The form's boxes filled from a saved answer. */
export function conditionValues(answer: ApplicationAnswer | undefined): Record<string, string> {
  return {
    meetsRequirement: answer?.meetsRequirement === true ? "yes" : answer?.meetsRequirement === false ? "no" : "",
    evidence: answer?.evidence ?? "",
    declared: answer?.declared ? "yes" : "",
  };
}

export function ConditionAnswerFields({ condition, values, errors }: { condition: Condition; values: Record<string, string | undefined>; errors?: FieldErrors }) {
  if (condition.kind !== "pass_fail") {
    return (
      <Checkboxes
        name="declared"
        legend="Declaration"
        options={[{ value: "yes", label: "I make this declaration on behalf of my organisation" }]}
        checked={values.declared === "yes" ? ["yes"] : []}
        error={errors?.declared}
      />
    );
  }
  return (
    <>
      {condition.evidenceRequired ? (
        <div className="govuk-inset-text">
          <p className="govuk-body govuk-!-margin-bottom-1">The council asks for:</p>
          <ul className="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
            {condition.evidenceRequired.split("\n").map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Radios
        name="meetsRequirement"
        legend="Does your organisation meet this condition?"
        options={[
          { value: "yes", label: "Yes" },
          { value: "no", label: "No" },
        ]}
        checked={values.meetsRequirement}
        inline
        error={errors?.meetsRequirement}
      />
      <Textarea
        name="evidence"
        label="How does your organisation meet it?"
        hint="Name the evidence asked for, with its reference or date (for example an Ofsted unique reference number). The council may ask to see it."
        defaultValue={values.evidence}
        rows={5}
        error={errors?.evidence}
      />
    </>
  );
}

/** Each condition's answer in words and its evidence files as downloads, as a summary list (check pages and the officers' view). */
export function ConditionAnswers({
  conditions,
  hrefOf,
}: {
  conditions: { id: string; label: string; words: string[]; files?: { href: string; label: string }[] }[];
  hrefOf?: (id: string) => string;
}) {
  return (
    <SummaryList
      rows={conditions.map((c) => ({
        key: c.label,
        value: (
          <>
            <ul className="govuk-list">
              {c.words.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
            {c.files && c.files.length > 0 ? (
              <>
                <p className="govuk-body govuk-!-margin-bottom-1">Evidence:</p>
                <ul className="govuk-list govuk-list--bullet">
                  {c.files.map((f) => (
                    <li key={f.href}>
                      <a className="govuk-link" href={f.href} download>
                        {f.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ),
        ...(hrefOf ? { action: { href: hrefOf(c.id), label: "Change", hidden: `your answer to condition ${c.label.split(" ")[0]}` } } : {}),
      }))}
    />
  );
}

/** An application's or request's status history, oldest first: each status, when, by whom, and any reasons. */
export function StatusHistory({ history }: { history: { label: string; at: string; by: string | null; reason: string | null }[] }) {
  return (
    <ol className="govuk-list">
      {history.map((h) => (
        <li key={h.label}>
          <strong>{h.label}</strong> {h.at}
          {h.by ? ` by ${h.by}` : ""}
          {h.reason ? <p className="govuk-body govuk-!-margin-bottom-2">{h.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
