// A tender's published clarifications, each as a summary card: the question
// as the council published it, the answer and when. Never who asked. Used by
// the clarifications page, and ready for the tender's own page.
import { SummaryList } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { ukDateTime } from "#app/web/format";

export interface PublishedClarification {
  number: number;
  question: string;
  answer: string;
  publishedAt: Date | string;
}

export function PublishedClarifications({ items, headingLevel = 3 }: { items: PublishedClarification[]; headingLevel?: 2 | 3 }) {
  if (items.length === 0) return <p className="govuk-body">No answers have been published yet.</p>;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <>
      {items.map((c) => (
        <div className="govuk-summary-card" key={c.number}>
          <div className="govuk-summary-card__title-wrapper">
            <Heading className="govuk-summary-card__title">{`Clarification ${c.number}`}</Heading>
          </div>
          <div className="govuk-summary-card__content">
            <SummaryList
              rows={[
                { key: "Question", value: <Paragraphs text={c.question} /> },
                { key: "Answer", value: <Paragraphs text={c.answer} /> },
                { key: "Published", value: ukDateTime(c.publishedAt) },
              ]}
            />
          </div>
        </div>
      ))}
    </>
  );
}
