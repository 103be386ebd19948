// The confirmation before a section or question of a draft is removed: what
// goes, that it cannot be undone, and a warning button. After a stale
// confirmation the page shows what is saved now and asks again.
import type { ReactNode } from "react";
import { BackLink, Button, ErrorSummary, PostForm, type FieldErrors } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import type { TenderStatus } from "#app/database/schema";
import { ReadOnlyNotice } from "./ReadOnlyNotice";

export function RemovePage(props: {
  tender: { title: string; path: string; status: TenderStatus };
  what: string;
  consequence: string;
  canEdit: boolean;
  errors?: FieldErrors;
  version: number;
  children: ReactNode;
}) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={props.tender.path} />
        <ErrorSummary errors={props.errors} />
        <span className="govuk-caption-l">{props.tender.title}</span>
        <h1 className="govuk-heading-l">{props.canEdit ? `Are you sure you want to remove ${props.what}?` : `Remove ${props.what}`}</h1>
        {props.children}
        {props.canEdit ? (
          <>
            <WarningText>{props.consequence}</WarningText>
            <PostForm>
              <input type="hidden" name="version" value={props.version} />
              <div className="govuk-button-group">
                <Button variant="warning">Yes, remove {props.what}</Button>
                <a className="govuk-link" href={props.tender.path}>
                  No, keep it
                </a>
              </div>
            </PostForm>
          </>
        ) : (
          <ReadOnlyNotice status={props.tender.status} canEdit={false} />
        )}
      </div>
    </div>
  );
}
