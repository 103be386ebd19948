// GOV.UK "warning text": for something a person must not miss.
import type { ReactNode } from "react";

export function WarningText({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

/** Said wherever kept (never sent) emails can be read: their links are live. */
export function DemoLinksWarning() {
  return (
    <WarningText>
      These are demo links for development. Because no mail server is set up, emails stay here and their links still work for
      anyone who can read this page. A live portal must have SMTP_URL set: then each link leaves only in the email to its addressee.
    </WarningText>
  );
}
