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
      These are demo links for development: with no mail server (SMTP_URL), emails stay here and their links work for anyone who can
      read this page. With SMTP_URL set, links are taken out of the portal's copy once sent.
    </WarningText>
  );
}
