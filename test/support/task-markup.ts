// Reads the tasks back out of task lists written as HTML (task-list.server.ts),
// for tests of a loader that returns them as markup.
export interface TaskInMarkup {
  label: string;
  href: string | null;
  status: string;
  hint: string | null;
}

const ITEM =
  /<li class="govuk-task-list__item[^"]*"><div class="govuk-task-list__name-and-hint">(?:<a class="govuk-link govuk-task-list__link" aria-describedby="[^"]*" href="([^"]*)">(.*?)<\/a>|<div>(.*?)<\/div>)(?:<div class="govuk-task-list__hint">(.*?)<\/div>)?<\/div><div class="govuk-task-list__status" id="[^"]*">(?:<strong class="govuk-tag[^"]*">)?(.*?)(?:<\/strong>)?<\/div><\/li>/g;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const text = (escaped: string) => escaped.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

export function tasksInMarkup(markup: string | { readonly markup?: string }): TaskInMarkup[] {
  const written = typeof markup === "string" ? markup : (markup.markup ?? "");
  return [...written.matchAll(ITEM)].map(([, href, link, plain, hint, status]) => ({
    label: text(link ?? plain ?? ""),
    href: href === undefined ? null : text(href),
    status: text(status!),
    hint: hint === undefined ? null : text(hint),
  }));
}

/** The questions' statuses by number, from labels written as "<number> <question>". */
export function questionStatuses(markup: string | { readonly markup?: string }): Record<string, string> {
  return Object.fromEntries(tasksInMarkup(markup).map((t) => [t.label.slice(0, t.label.indexOf(" ")), t.status]));
}
