// A submitted award recommendation as the people deciding read it: what each
// lot is recommended for, the summary, value, budget line, risks and
// alternatives, then each round's consultation and decision.
import { Link } from "@remix-run/react";
import { Paragraphs } from "#app/components/Paragraphs";
import { SummaryList, Tag } from "#app/components/govuk";
import { pounds, ukDateTime } from "#app/web/format";

export interface RoundView {
  round: number;
  content: { lots: { lot: string; recommended: string[] }[]; evaluationSummary: string; valuePence: number; budgetLine: string; risks: string; alternatives: string };
  submittedAt: string | Date;
  submittedBy: string;
  route: string;
  consultationRequired: boolean;
  consultation: { response: string; comments: string; respondedAt: string | Date; respondedBy: string } | null;
  decision: { outcome: string; reasons: string; conditions: string; delegation: string; decidedAt: string | Date; decidedBy: string } | null;
}

export const STATUS_WORDS: Record<string, { text: string; colour: "grey" | "green" | "red" | "yellow" | "blue" | "orange" }> = {
  draft: { text: "Draft", colour: "grey" },
  awaiting_consultation: { text: "Waiting for consultation", colour: "yellow" },
  awaiting_decision: { text: "Waiting for decision", colour: "blue" },
  approved: { text: "Approved", colour: "green" },
  approved_with_conditions: { text: "Approved with conditions", colour: "green" },
  rejected: { text: "Rejected", colour: "red" },
  superseded: { text: "Superseded", colour: "orange" },
};

export function StatusTag({ status }: { status: string }) {
  const words = STATUS_WORDS[status] ?? { text: status, colour: "grey" as const };
  return <Tag colour={words.colour}>{words.text}</Tag>;
}

export function RecommendationContent({ content }: { content: RoundView["content"] }) {
  return (
    <SummaryList
      rows={[
        ...content.lots.map((l) => ({ key: l.lot, value: l.recommended.length ? l.recommended.join(", ") : "No award recommended" })),
        { key: "Value", value: pounds(content.valuePence, { whole: content.valuePence % 100 === 0 }) },
        { key: "Budget line", value: content.budgetLine },
        { key: "Evaluation summary", value: <Paragraphs text={content.evaluationSummary} className="govuk-body govuk-!-margin-bottom-0" /> },
        { key: "Risks", value: <Paragraphs text={content.risks} className="govuk-body govuk-!-margin-bottom-0" /> },
        { key: "Alternatives considered", value: <Paragraphs text={content.alternatives} className="govuk-body govuk-!-margin-bottom-0" /> },
      ]}
    />
  );
}

/** Who submitted each round, the consultation and the decision, oldest first. */
export function RoundsRecord({ rounds }: { rounds: RoundView[] }) {
  return (
    <>
      {rounds.map((r) => (
        <section key={r.round} aria-labelledby={`round-${r.round}`}>
          <h3 className="govuk-heading-s" id={`round-${r.round}`}>
            Round {r.round}: submitted by {r.submittedBy}, {ukDateTime(r.submittedAt)}
          </h3>
          <SummaryList
            rows={[
              { key: "Delegation", value: r.route },
              {
                key: "Portfolio Holder",
                value: !r.consultationRequired
                  ? "Not required: below the key-decision threshold"
                  : r.consultation
                    ? `${r.consultation.response} (${r.consultation.respondedBy}, ${ukDateTime(r.consultation.respondedAt)})${r.consultation.comments ? `: ${r.consultation.comments}` : ""}`
                    : "Not yet given",
              },
              {
                key: "Decision",
                value: r.decision ? `${r.decision.outcome} by ${r.decision.decidedBy}, ${ukDateTime(r.decision.decidedAt)}` : "Not yet decided",
              },
              ...(r.decision ? [{ key: "Reasons", value: <Paragraphs text={r.decision.reasons} className="govuk-body govuk-!-margin-bottom-0" /> }] : []),
              ...(r.decision?.conditions ? [{ key: "Conditions", value: <Paragraphs text={r.decision.conditions} className="govuk-body govuk-!-margin-bottom-0" /> }] : []),
            ]}
          />
        </section>
      ))}
    </>
  );
}

/** On the consultation and decision pages: the full recommendation a click away, the gist folded underneath. */
export function RecommendationAtHand({ id, content }: { id: string; content: RoundView["content"] }) {
  return (
    <>
      <p className="govuk-body">
        <Link className="govuk-link" to={`/decisions/${id}`}>
          Read the full recommendation and its record
        </Link>
      </p>
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">What is recommended</span>
        </summary>
        <div className="govuk-details__text">
          <RecommendationContent content={content} />
        </div>
      </details>
    </>
  );
}
