// The fields of a tender question, for adding and editing. The kind is
// chosen with radios; with JavaScript only the chosen kind's fields show
// (GOV.UK's conditional reveal, done by React), without it every field shows
// under a heading saying which kind it is for, and the server uses only the
// chosen kind's.
import { useEffect, useState, type ReactNode } from "react";
import { Checkboxes, Radios, Textarea, TextInput, type FieldErrors } from "#app/components/govuk";
import { EVIDENCE_CHOICES, QUESTION_KIND_LABELS } from "#app/modules/tendering/questionnaires";
import type { QuestionKind } from "#app/database/schema";

/** What the form holds, as typed: every value a string. */
export interface QuestionFormValues {
  kind: string;
  question: string;
  guidance: string;
  evidenceRequired: string[];
  evidenceOther: string;
  wordLimit: string;
  minimumScore: string;
  /** Descriptor by score ("0" to "5" unless the question has another scale). */
  descriptors: Record<string, string>;
  /** Weight by lot id. */
  weights: Record<string, string>;
}

const KIND_HINTS: Record<QuestionKind, string> = {
  pass_fail: "Providers send evidence, such as their Ofsted registration. A provider who fails is not scored further.",
  quality: "Scored against a scale, with a word limit and a weight for each lot it applies to.",
  declaration: "A statement providers tick to confirm.",
};

/** The question form's fields in page order, for the error summary. */
export function questionErrorOrder(lots: { id: string }[], scores: string[]): string[] {
  return [
    "form",
    "kind",
    "question",
    "guidance",
    "evidenceRequired",
    "evidenceOther",
    "wordLimit",
    "minimumScore",
    ...scores.map((s) => `descriptor-${s}`),
    ...lots.map((l) => `weight-${l.id}`),
  ];
}

export const KIND_ORDER: QuestionKind[] = ["pass_fail", "quality", "declaration"];

/** One kind's fields: shown with JavaScript only when that kind is chosen, always without it. */
function KindFields({ kind, shown, headed, children }: { kind: QuestionKind; shown: boolean; headed: boolean; children: ReactNode }) {
  return (
    <div hidden={!shown} data-kind-fields={kind}>
      {headed ? <h2 className="govuk-heading-m">For a {QUESTION_KIND_LABELS[kind].toLowerCase()} question</h2> : null}
      {children}
    </div>
  );
}

export function QuestionFields(props: {
  values: QuestionFormValues;
  errors?: FieldErrors;
  lots: { id: string; number: number; title: string }[];
  /** Editing: the kind is fixed and only its fields show. */
  fixedKind?: QuestionKind;
}) {
  const { values, errors = {}, lots, fixedKind } = props;
  const [chosen, setChosen] = useState(values.kind);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const kind = fixedKind ?? chosen;
  // Before JavaScript runs (or without it) every kind's fields show, headed.
  const shows = (k: QuestionKind) => (fixedKind ? fixedKind === k : !hydrated || kind === k);
  const headed = !fixedKind && !hydrated;
  const scores = Object.keys(values.descriptors).sort((a, b) => Number(a) - Number(b));
  const [otherTicked, setOtherTicked] = useState(values.evidenceRequired.includes("Other") || values.evidenceOther.trim() !== "");

  return (
    <>
      {fixedKind ? (
        <p className="govuk-body">
          This is a {QUESTION_KIND_LABELS[fixedKind].toLowerCase()} question. Its kind cannot be changed: to ask it another way, add a new question and remove
          this one.
        </p>
      ) : (
        <Radios
          name="kind"
          legend="What kind of question is it?"
          options={KIND_ORDER.map((k) => ({ value: k, label: QUESTION_KIND_LABELS[k], hint: KIND_HINTS[k] }))}
          checked={values.kind}
          error={errors.kind}
          onChange={setChosen}
        />
      )}
      <Textarea name="question" label="Question" hint="As providers will read it." defaultValue={values.question} error={errors.question} rows={3} />
      <Textarea
        name="guidance"
        label="Guidance (optional)"
        hint="What a good answer covers, or how it will be judged."
        defaultValue={values.guidance}
        error={errors.guidance}
        rows={4}
      />
      {headed ? (
        <p className="govuk-body" data-no-javascript-note>
          Fill in only the fields for the kind of question you chose. The others are ignored.
        </p>
      ) : null}

      <KindFields kind="pass_fail" shown={shows("pass_fail")} headed={headed}>
        <Checkboxes
          name="evidenceRequired"
          legend="Evidence required"
          hint="Select all that apply."
          options={[...EVIDENCE_CHOICES.map((c) => ({ value: c, label: c })), { value: "Other", label: "Other evidence" }]}
          checked={otherTicked ? [...values.evidenceRequired, "Other"] : values.evidenceRequired}
          error={errors.evidenceRequired}
          onChange={(value, checked) => value === "Other" && setOtherTicked(checked)}
        />
        {/* With JavaScript, shown once "Other evidence" is ticked; without it, always. */}
        <div hidden={hydrated && !otherTicked}>
          <TextInput
          name="evidenceOther"
          label="Other evidence required"
          hint="For example, a fire risk assessment for each home. Leave blank if none."
          defaultValue={values.evidenceOther}
            error={errors.evidenceOther}
          />
        </div>
      </KindFields>

      <KindFields kind="quality" shown={shows("quality")} headed={headed}>
        <TextInput name="wordLimit" label="Word limit" hint="For example, 750" width="10" defaultValue={values.wordLimit} error={errors.wordLimit} />
        <TextInput
          name="minimumScore"
          label="Minimum acceptable score (optional)"
          hint="A bid scoring less on this question is not successful. Leave blank for no minimum."
          width="10"
          defaultValue={values.minimumScore}
          error={errors.minimumScore}
        />
        <div className="govuk-form-group">
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Scoring scale</legend>
            <div className="govuk-hint">What each score means. Evaluators see these when they score an answer.</div>
            {scores.map((score) => (
              <TextInput
                key={score}
                name={`descriptor-${score}`}
                label={`Score ${score}`}
                width="two-thirds"
                defaultValue={values.descriptors[score]}
                error={errors[`descriptor-${score}`]}
              />
            ))}
          </fieldset>
        </div>
        <div className="govuk-form-group">
          <fieldset className="govuk-fieldset" aria-describedby="weights-hint">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Weight for each lot</legend>
            <div className="govuk-hint" id="weights-hint">
              Whole percentage points. Leave a lot blank if the question does not apply to it. Quality and price weights must add up to 100% for each lot.
            </div>
            {lots.map((lot) => (
              <TextInput
                key={lot.id}
                name={`weight-${lot.id}`}
                label={`Lot ${lot.number}: ${lot.title} (%)`}
                width="10"
                defaultValue={values.weights[lot.id]}
                error={errors[`weight-${lot.id}`]}
              />
            ))}
          </fieldset>
        </div>
      </KindFields>

      <KindFields kind="declaration" shown={shows("declaration")} headed={headed}>
        <p className="govuk-body">A declaration needs only its wording: providers tick a box to confirm it.</p>
      </KindFields>
    </>
  );
}
