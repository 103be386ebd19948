// GOV.UK's task list item: a task's name (a link while it can be done), an
// optional hint, and its status, which the link is described by.
import { Link } from "@remix-run/react";
import { Tag } from "#app/components/govuk";

export type TaskStatus = "Completed" | "Incomplete" | "Not started" | "Not needed";

const TAG: Record<TaskStatus, "green" | "blue" | "grey" | "yellow"> = { Completed: "green", Incomplete: "yellow", "Not started": "blue", "Not needed": "grey" };

export function TaskItem({ href, label, status, hint }: { href: string | null; label: string; status: TaskStatus; hint?: string }) {
  const id = `task-${href ?? label}`.replace(/[^a-z0-9-]/gi, "-");
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
        {status === "Completed" ? "Completed" : <Tag colour={TAG[status]}>{status}</Tag>}
      </div>
    </li>
  );
}
