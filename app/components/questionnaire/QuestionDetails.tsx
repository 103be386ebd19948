// A question, a section or a lot's weights and prices in words, for the
// overview, the read-only pages of a published tender and the "saved now"
// panel a stale form shows beside what was typed.
import type { ReactNode } from "react";
import { SummaryList, Tag } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import type { LotWeightTotal, PriceScheduleView, QuestionView } from "#app/modules/tendering/questionnaires";
import { PRICE_BASES, QUESTION_KIND_LABELS } from "#app/modules/tendering/questionnaires";
import type { PriceBasis } from "#app/database/schema";

export interface LotLabel {
  id: string;
  number: number;
  title: string;
  priceBasis: string;
}

export function lotName(lot: LotLabel) {
  return `Lot ${lot.number}: ${lot.title}`;
}

/** "Lot 1 35%, lot 2 30%", or that the question is weighted for no lot. */
export function weightsInWords(weights: { lotId: string; weight: number }[], lots: LotLabel[]): string {
  const parts = lots.flatMap((lot) => {
    const w = weights.find((x) => x.lotId === lot.id);
    return w ? [`lot ${lot.number} ${w.weight}%`] : [];
  });
  if (parts.length === 0) return "Not weighted for any lot";
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The lines of an evidence list, one a line. */
export function EvidenceList({ text }: { text: string | null }) {
  const lines = (text ?? "").split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return <>None</>;
  return (
    <ul className="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

/** Text typed with line breaks, as paragraphs. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n?/)
        .filter((p) => p.trim() !== "")
        .map((p, i) => (
          <p className="govuk-body govuk-!-margin-bottom-1" key={i}>
            {p}
          </p>
        ))}
    </>
  );
}

/** A question's details: its short form for the overview, or in full. */
export function questionRows(question: QuestionView, lots: LotLabel[], full: boolean): { key: ReactNode; value: ReactNode }[] {
  const rows: { key: ReactNode; value: ReactNode }[] = [{ key: "Kind", value: QUESTION_KIND_LABELS[question.kind] }];
  if (full) rows.push({ key: "Question", value: question.question });
  if (full && question.guidance) rows.push({ key: "Guidance", value: <Paragraphs text={question.guidance} /> });
  if (question.kind === "pass_fail") rows.push({ key: "Evidence required", value: <EvidenceList text={question.evidenceRequired} /> });
  if (question.kind === "quality") {
    rows.push({ key: "Weight", value: weightsInWords(question.weights, lots) });
    rows.push({ key: "Word limit", value: question.wordLimit?.toLocaleString("en-GB") ?? "None" });
    rows.push({ key: "Minimum acceptable score", value: question.minimumScore === null ? "None" : String(question.minimumScore) });
    if (full) {
      rows.push({
        key: "Scoring scale",
        value: (
          <ul className="govuk-list govuk-!-margin-bottom-0">
            {question.scale.map((s) => (
              <li key={s.score}>
                {s.score}: {s.descriptor}
              </li>
            ))}
          </ul>
        ),
      });
    }
  }
  return rows;
}

export function QuestionDetails({ question, lots }: { question: QuestionView; lots: LotLabel[] }) {
  return <SummaryList rows={questionRows(question, lots, true)} />;
}

/** "Quality 60% + price 40% = 100%", with a warning when it is not 100. */
export function WeightTotal({ total, lot }: { total: LotWeightTotal; lot: LotLabel }) {
  const sum = total.price === null ? `Quality ${total.quality}%, price weight not set yet` : `Quality ${total.quality}% + price ${total.price}% = ${total.total}%`;
  if (total.addsUp) {
    return (
      <p className="govuk-body">
        {sum} <Tag colour="green">Adds up</Tag>
      </p>
    );
  }
  return (
    <WarningText>
      {sum}. {total.price === null ? `Set the price schedule for lot ${lot.number}. ` : ""}Quality and price weights for lot {lot.number} must add up
      to 100% before the tender can be published.
    </WarningText>
  );
}

/** What a lot's price schedule asks providers to price, in words. */
export function priceItemLabel(item: PriceScheduleView["items"][number], priceBasis: string): string {
  const component = PRICE_BASES[priceBasis as PriceBasis]?.components.find((c) => c.key === item.component);
  const label = component?.label ?? "Price";
  return item.needBand ? `${label}: ${item.needBand}` : label;
}

/** A lot's price schedule as a summary list. */
export function PriceScheduleDetails({ schedule, lot }: { schedule: PriceScheduleView | undefined; lot: LotLabel }) {
  const basis = PRICE_BASES[lot.priceBasis as PriceBasis];
  return (
    <SummaryList
      rows={[
        { key: "Priced as", value: basis?.label ?? "Not known" },
        { key: "Price weight", value: schedule ? `${schedule.priceWeight}%` : "Not set" },
        {
          key: "Prices asked for",
          value: schedule ? (
            <ul className="govuk-list govuk-!-margin-bottom-0">
              {schedule.items.map((i) => (
                <li key={i.id}>{priceItemLabel(i, lot.priceBasis)}</li>
              ))}
            </ul>
          ) : (
            "No price schedule yet"
          ),
        },
      ]}
    />
  );
}
