// GOV.UK task list items written as HTML (decision 019), for a page whose
// long task list is worked out once and kept: the same markup TaskItem draws
// (task-list.tsx), with every word escaped.
import { html, type TrustedHtml } from "#app/web/html.server";
import { TASK_TAG_COLOURS, taskId, type Task } from "./task-list";

export function taskItemHtml(task: Task): TrustedHtml {
  const { href, label, status, hint } = task;
  const id = taskId(task);
  const name = href ? html`<a class="govuk-link govuk-task-list__link" aria-describedby="${id}-status" href="${href}">${label}</a>` : html`<div>${label}</div>`;
  const shown = status === "Completed" ? "Completed" : html`<strong class="govuk-tag govuk-tag--${TASK_TAG_COLOURS[status]}">${status}</strong>`;
  return html`<li class="govuk-task-list__item${href ? " govuk-task-list__item--with-link" : ""}"><div class="govuk-task-list__name-and-hint">${name}${hint ? html`<div class="govuk-task-list__hint">${hint}</div>` : ""}</div><div class="govuk-task-list__status" id="${id}-status">${shown}</div></li>`;
}

/** A `govuk-task-list` of the tasks. */
export function taskListHtml(tasks: readonly Task[]): TrustedHtml {
  return html`<ul class="govuk-task-list">${tasks.map(taskItemHtml)}</ul>`;
}
