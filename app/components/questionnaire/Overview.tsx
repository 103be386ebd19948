// Pieces of the questionnaire overview: a section as a GOV.UK summary card
// with its questions as rows, each with its actions; moving up and down are
// small POST forms, so they work without JavaScript.
import type { ReactNode } from "react";
import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import type { SectionView } from "#app/modules/tendering/questionnaires";
import { QUESTION_KIND_LABELS } from "#app/modules/tendering/questionnaires";
import { weightsInWords, type LotLabel } from "./QuestionDetails";

/** A button that looks like a link and posts a move. */
export function MoveButton(props: { intent: "move-section" | "move-question"; id: string; to: number; version: number; label: string; hidden: string; bold?: boolean }) {
  const root = useRouteLoaderData("root") as { csrfToken: string } | undefined;
  return (
    <Form method="post" className="portal-inline-form">
      <input type="hidden" name="_csrf" value={root?.csrfToken ?? ""} />
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="id" value={props.id} />
      <input type="hidden" name="to" value={props.to} />
      <input type="hidden" name="version" value={props.version} />
      {/* Sized like the links beside it: bold in a card's title bar. */}
      <button type="submit" className={`portal-link-button govuk-link govuk-!-font-size-19${props.bold ? " govuk-!-font-weight-bold" : ""}`}>
        {props.label}
        <span className="govuk-visually-hidden"> {props.hidden}</span>
      </button>
    </Form>
  );
}

function ActionList({ items }: { items: ReactNode[] }) {
  const shown = items.filter(Boolean);
  if (shown.length === 0) return null;
  return (
    <ul className="govuk-summary-list__actions-list">
      {shown.map((item, i) => (
        <li className="govuk-summary-list__actions-list-item" key={i}>
          {item}
        </li>
      ))}
    </ul>
  );
}

function ActionLink({ to, label, hidden }: { to: string; label: string; hidden: string }) {
  return (
    <Link className="govuk-link" to={to}>
      {label}
      <span className="govuk-visually-hidden"> {hidden}</span>
    </Link>
  );
}

/** What a question asks for, in one line under its wording. */
function questionFacts(q: SectionView["questions"][number], lots: LotLabel[]): string {
  const facts: string[] = [QUESTION_KIND_LABELS[q.kind]];
  if (q.kind === "pass_fail") facts.push(`evidence: ${(q.evidenceRequired ?? "").split("\n").join(", ")}`);
  if (q.kind === "quality") {
    facts.push(weightsInWords(q.weights, lots).toLowerCase().replace(/^lot/, "weight: lot"));
    if (q.wordLimit !== null) facts.push(`${q.wordLimit.toLocaleString("en-GB")} words`);
    facts.push(q.minimumScore === null ? "no minimum score" : `minimum score ${q.minimumScore}`);
  }
  return facts.join(" · ");
}

export function SectionCard(props: { section: SectionView; sectionCount: number; lots: LotLabel[]; basePath: string; version: number; canEdit: boolean }) {
  const { section: s, lots, basePath, version, canEdit } = props;
  const name = `section ${s.position}, ${s.title}`;
  return (
    <div className="govuk-summary-card" id={`section-${s.id}`}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title">
          Section {s.position}: {s.title}
          {s.stage === "participation" ? " (conditions of participation, asked before bids)" : null}
        </h3>
        {canEdit ? (
          <ul className="govuk-summary-card__actions">
            <li className="govuk-summary-card__action">
              <ActionLink to={`${basePath}/sections/${s.id}`} label="Change" hidden={name} />
            </li>
            {s.position > 1 ? (
              <li className="govuk-summary-card__action">
                <MoveButton intent="move-section" id={s.id} to={s.position - 1} version={version} label="Move up" hidden={name} bold />
              </li>
            ) : null}
            {s.position < props.sectionCount ? (
              <li className="govuk-summary-card__action">
                <MoveButton intent="move-section" id={s.id} to={s.position + 1} version={version} label="Move down" hidden={name} bold />
              </li>
            ) : null}
            <li className="govuk-summary-card__action">
              <ActionLink to={`${basePath}/sections/${s.id}/remove`} label="Remove" hidden={name} />
            </li>
          </ul>
        ) : null}
      </div>
      <div className="govuk-summary-card__content">
        {s.description ? <p className="govuk-body">{s.description}</p> : null}
        {s.questions.length === 0 ? <p className="govuk-body">No questions in this section yet.</p> : null}
        {s.questions.length > 0 ? (
          <dl className="govuk-summary-list">
            {s.questions.map((q) => {
              const qName = `question ${q.number}`;
              return (
                <div className="govuk-summary-list__row" key={q.id} id={`question-${q.id}`}>
                  <dt className="govuk-summary-list__key">Question {q.number}</dt>
                  <dd className="govuk-summary-list__value">
                    <p className="govuk-body govuk-!-margin-bottom-1">{q.question}</p>
                    <p className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{questionFacts(q, lots)}</p>
                  </dd>
                  <dd className="govuk-summary-list__actions">
                    <ActionList
                      items={[
                        <ActionLink key="view" to={`${basePath}/questions/${q.id}`} label={canEdit ? "Change" : "View"} hidden={qName} />,
                        canEdit && q.position > 1 ? <MoveButton key="up" intent="move-question" id={q.id} to={q.position - 1} version={version} label="Move up" hidden={qName} /> : null,
                        canEdit && q.position < s.questions.length ? (
                          <MoveButton key="down" intent="move-question" id={q.id} to={q.position + 1} version={version} label="Move down" hidden={qName} />
                        ) : null,
                        canEdit ? <ActionLink key="remove" to={`${basePath}/questions/${q.id}/remove`} label="Remove" hidden={qName} /> : null,
                      ]}
                    />
                  </dd>
                </div>
              );
            })}
          </dl>
        ) : null}
        {canEdit ? (
          <Link className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" to={`${basePath}/sections/${s.id}/questions/new`}>
            Add a question<span className="govuk-visually-hidden"> to {name}</span>
          </Link>
        ) : null}
      </div>
    </div>
  );
}
