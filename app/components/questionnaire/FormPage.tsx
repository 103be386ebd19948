// The frame of every questionnaire form page: back link, error summary,
// heading, the version the page was built on, and when a save came too late
// (someone else changed the questionnaire first) what is saved now, beside
// what the person typed.
import type { ReactNode } from "react";
import { BackLink, Button, ErrorSummary, PostForm, type FieldErrors } from "#app/components/govuk";
import type { TenderStatus } from "#app/database/schema";
import { ReadOnlyNotice } from "./ReadOnlyNotice";

export function FormPage(props: {
  tender: { title: string; path: string; status: TenderStatus };
  heading: string;
  errors?: FieldErrors;
  errorOrder?: string[];
  version: number;
  /** Shown beside the form after a stale save. */
  savedNow?: ReactNode;
  canEdit: boolean;
  /** What a reader who cannot edit sees instead of the form. */
  readOnly?: ReactNode;
  submit: string;
  /** Another form of the page, after the main one, for someone who may edit. */
  after?: ReactNode;
  children: ReactNode;
}) {
  const form = (
    <PostForm>
      <input type="hidden" name="version" value={props.version} />
      {props.children}
      <div className="govuk-button-group">
        <Button>{props.submit}</Button>
        <a className="govuk-link" href={props.tender.path}>
          Cancel
        </a>
      </div>
    </PostForm>
  );
  return (
    <>
      <BackLink to={props.tender.path} />
      <ErrorSummary errors={props.errors} order={props.errorOrder} />
      <span className="govuk-caption-l">{props.tender.title}</span>
      <h1 className="govuk-heading-l">{props.heading}</h1>
      {!props.canEdit ? (
        <>
          <ReadOnlyNotice status={props.tender.status} canEdit={false} />
          {props.readOnly}
        </>
      ) : props.savedNow ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <h2 className="govuk-heading-m">What you typed</h2>
            {form}
          </div>
          <div className="govuk-grid-column-one-half">
            <div className="govuk-inset-text govuk-!-margin-top-0" id="saved-now">
              <h2 className="govuk-heading-m">Saved now</h2>
              {props.savedNow}
            </div>
          </div>
        </div>
      ) : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            {form}
            {props.after}
          </div>
        </div>
      )}
    </>
  );
}
