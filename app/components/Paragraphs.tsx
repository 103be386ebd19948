// Text a person typed (a question, an answer, a reason), shown as they wrote
// it: blank lines start a new paragraph, single line breaks are kept. React
// escapes it, so HTML in it is shown as text, never run.
import { Fragment } from "react";

export function Paragraphs({ text, className = "govuk-body" }: { text: string; className?: string }) {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== "");
  return (
    <>
      {paragraphs.map((p, i) => (
        <p className={className} key={i}>
          {p.split("\n").map((line, j) => (
            <Fragment key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </Fragment>
          ))}
        </p>
      ))}
    </>
  );
}
