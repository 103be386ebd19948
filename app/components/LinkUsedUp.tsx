// What a single-use emailed link shows once it has expired or been used.
import type { ReactNode } from "react";

export function LinkUsedUp({ lifetime, children }: { lifetime: string; children: ReactNode }) {
  return (
    <>
      <h1 className="govuk-heading-l">This link has expired or has been used</h1>
      <p className="govuk-body">{lifetime}</p>
      <p className="govuk-body">{children}</p>
    </>
  );
}
