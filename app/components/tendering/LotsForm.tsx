// The "which lots" page that a bid and a dynamic market application share:
// a back link, the error summary, the tender's title as the caption, and one
// group of checkboxes whose legend is the page's heading. The record's
// version goes with the form, so a colleague's change in between is refused.
import type { ReactNode } from "react";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm } from "#app/components/govuk";

export interface LotsFormProps {
  back: { to: string; label: ReactNode };
  tenderTitle: string;
  heading: string;
  hint: string;
  version: number;
  lots: { id: string; label: string }[];
  /** What is ticked: what was sent when the page shows an error, else what is saved. */
  checked: string[];
  errors?: Record<string, string>;
}

export function LotsForm({ back, tenderTitle, heading, hint, version, lots, checked, errors }: LotsFormProps) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={back.to}>{back.label}</BackLink>
        <ErrorSummary errors={errors} order={["lotIds"]} />
        <span className="govuk-caption-l">{tenderTitle}</span>
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          <Checkboxes
            name="lotIds"
            legend={<h1 className="govuk-fieldset__heading">{heading}</h1>}
            hint={hint}
            options={lots.map((l) => ({ value: l.id, label: l.label }))}
            checked={checked}
            error={errors?.lotIds}
          />
          <Button>Save and continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
