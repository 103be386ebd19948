// GOV.UK's task list item: a task's name (a link while it can be done), an
// optional hint, and its status, which the link is described by.
import { Link } from "@remix-run/react";
import { Tag } from "#app/components/govuk";

export type TaskStatus = "Completed" | "Incomplete" | "Not started" | "Not needed";

export const TASK_TAG_COLOURS: Record<TaskStatus, "green" | "blue" | "grey" | "yellow"> = { Completed: "green", Incomplete: "yellow", "Not started": "blue", "Not needed": "grey" };

/** A task's item: its link (null while it cannot be done), its name, its status and an optional hint. */
export interface Task {
  href: string | null;
  label: string;
  status: TaskStatus;
  hint?: string;
}

/** The id a task's status has, which its link is described by. */
export function taskId({ href, label }: Pick<Task, "href" | "label">): string {
  return `task-${href ?? label}`.replace(/[^a-z0-9-]/gi, "-");
}

export function TaskItem({ href, label, status, hint }: Task) {
  const id = taskId({ href, label });
  return (
    <li className={`govuk-task-list__item${href ? " govuk-task-list__item--with-link" : ""}`}>
      <div className="govuk-task-list__name-and-hint">
        {href ? (
          <Link className="govuk-link govuk-task-list__link" to={href} aria-describedby={`${id}-status`}>
            {label}
          </Link>
        ) : (
          <div>{label}</div>
        )}
        {hint ? <div className="govuk-task-list__hint">{hint}</div> : null}
      </div>
      <div className="govuk-task-list__status" id={`${id}-status`}>
        {status === "Completed" ? "Completed" : <Tag colour={TASK_TAG_COLOURS[status]}>{status}</Tag>}
      </div>
    </li>
  );
}
