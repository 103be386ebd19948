// The pages a dynamic market's application and a request to participate
// share (loaders and actions in app/web/conditions.server.ts): one condition
// with its evidence, check your answers and submit, and the task list of
// conditions on the overview. The family's words come in as props.
import type { ReactNode } from "react";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { TaskItem, type TaskStatus } from "#app/components/task-list";
import type { Condition } from "#app/modules/tendering/dynamic-markets";
import { CONDITION_ERROR_ORDER, ConditionAnswerFields, ConditionAnswers } from "./ConditionAnswer";
import { EvidenceAttach, type EvidenceAttachProps } from "./EvidenceAttach";

type Path = (tenderId: string, rest?: string) => string;

export interface ConditionPageProps {
  path: Path;
  /** "Back to your application", "Back to your request". */
  backLabel: string;
  loaded: {
    tender: { id: string; title: string };
    version: number;
    condition: Condition;
    values: Record<string, string>;
    evidence: Omit<EvidenceAttachProps, "evidenceRequired" | "fileHref" | "checked" | "errors"> | null;
  };
  result: { errors: Record<string, string>; values: Record<string, string | undefined>; documents?: string[] } | undefined;
}

export function ConditionPage({ path, backLabel, loaded, result }: ConditionPageProps) {
  const { tender, version, condition, evidence } = loaded;
  const errors = result?.errors;
  const values = result && Object.keys(result.values).length > 0 ? result.values : loaded.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={path(tender.id)}>{backLabel}</BackLink>
        <ErrorSummary errors={errors} order={[...CONDITION_ERROR_ORDER, "documents", "file"]} />
        <span className="govuk-caption-l">
          {tender.title}: condition {condition.number}
        </span>
        <h1 className="govuk-heading-l">{condition.question}</h1>
        {condition.guidance ? <p className="govuk-body">{condition.guidance}</p> : null}
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          <ConditionAnswerFields condition={condition} values={values} errors={errors} />
          <Button>Save and continue</Button>
        </PostForm>
        {evidence ? (
          <EvidenceAttach
            evidenceRequired={null}
            {...evidence}
            fileHref={(fileId) => path(tender.id, `/files/${fileId}`)}
            checked={result?.documents}
            errors={errors}
            field="documents"
          />
        ) : null}
      </div>
    </div>
  );
}

export interface CheckConditionsProps {
  path: Path;
  backLabel: string;
  heading: string;
  /** The error summary's title while something stops submission. */
  notReady: string;
  submitHeading: string;
  confirm: string;
  submitLabel: string;
  loaded: {
    tender: { id: string; title: string };
    version: number;
    conditions: { id: string; label: string; words: string[]; files: { href: string; label: string }[] }[];
    problems: Record<string, string>;
    problemLinks: Record<string, string>;
  };
  result: { errors: Record<string, string> } | undefined;
  /** What comes before the conditions (a market application's lots). */
  children?: ReactNode;
}

export function CheckConditions({ path, backLabel, heading, notReady, submitHeading, confirm, submitLabel, loaded, result, children }: CheckConditionsProps) {
  const { tender, version, conditions, problems, problemLinks } = loaded;
  const blocking = Object.keys(problems).length > 0;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={path(tender.id)}>{backLabel}</BackLink>
        {blocking ? <ErrorSummary errors={problems} href={(key) => problemLinks[key] ?? "#"} title={notReady} /> : <ErrorSummary errors={result?.errors} />}
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">{heading}</h1>
        {children}
        <h2 className="govuk-heading-m">Conditions of participation</h2>
        <ConditionAnswers conditions={conditions} hrefOf={(id) => path(tender.id, `/conditions/${id}`)} />
        {blocking ? null : (
          <PostForm>
            <input type="hidden" name="expectedVersion" value={version} />
            <h2 className="govuk-heading-m">{submitHeading}</h2>
            <p className="govuk-body">{confirm}</p>
            <Button>{submitLabel}</Button>
          </PostForm>
        )}
      </div>
    </div>
  );
}

/** The overview's conditions and its check-and-submit item, as task lists. */
export function ConditionTaskList({
  path,
  tenderId,
  tasks,
  none,
}: {
  path: Path;
  tenderId: string;
  tasks: { conditions: { id: string; label: string; status: TaskStatus }[]; problems: number };
  /** Said when there are no conditions. */
  none?: string;
}) {
  return (
    <>
      <h2 className="govuk-heading-m">Conditions of participation</h2>
      {tasks.conditions.length === 0 && none ? (
        <p className="govuk-body">{none}</p>
      ) : (
        <ul className="govuk-task-list">
          {tasks.conditions.map((c) => (
            <TaskItem key={c.id} href={path(tenderId, `/conditions/${c.id}`)} label={c.label} status={c.status} />
          ))}
        </ul>
      )}
      <h2 className="govuk-heading-m">Submit</h2>
      <ul className="govuk-task-list">
        <TaskItem
          href={path(tenderId, "/check")}
          label="Check your answers and submit"
          status={tasks.problems === 0 ? "Not started" : "Incomplete"}
          hint={tasks.problems === 0 ? undefined : `${tasks.problems} ${tasks.problems === 1 ? "thing" : "things"} to complete first`}
        />
      </ul>
    </>
  );
}
