// The questions of a provider's bid page, section by section, as GOV.UK task
// lists written as HTML: with 30 questions they were most of the page's
// render (a link each) and their words went to the browser twice. They are
// written once per kept overview of the draft (decision 051) and deadline
// state, and sent once (decisions 026 and 054).
import { taskListHtml } from "#app/components/task-list.server";
import type { Task, TaskStatus } from "#app/components/task-list";
import { bidPath } from "#app/web/bid-paths";
import { html } from "#app/web/html.server";

export interface BidSectionTasks {
  title: string;
  questions: { id: string; number: string; question: string; status: TaskStatus }[];
}

/** A question's task: a link to answer it while the tender is open and the question applies to a lot chosen. */
export function questionTask(tenderId: string, q: BidSectionTasks["questions"][number], open: boolean): Task {
  return {
    href: q.status === "Not needed" || !open ? null : bidPath(tenderId, `/questions/${q.id}`),
    label: `${q.number} ${q.question}`,
    status: q.status,
    hint: q.status === "Not needed" ? "Only for lots you are not bidding for" : undefined,
  };
}

export function bidSectionsHtml(tenderId: string, sections: readonly BidSectionTasks[], open: boolean): string {
  return sections
    .map((s) => html`<section><h2 class="govuk-heading-m">${s.title}</h2>${taskListHtml(s.questions.map((q) => questionTask(tenderId, q, open)))}</section>`.markup)
    .join("");
}

const written = new WeakMap<readonly BidSectionTasks[], Map<string, string>>();

/** bidSectionsHtml, written once for the same kept sections. */
export function keptBidSectionsHtml(tenderId: string, sections: readonly BidSectionTasks[], open: boolean): string {
  let byState = written.get(sections);
  if (!byState) written.set(sections, (byState = new Map()));
  const key = `${tenderId}|${open}`;
  let markup = byState.get(key);
  if (markup === undefined) byState.set(key, (markup = bidSectionsHtml(tenderId, sections, open)));
  return markup;
}
