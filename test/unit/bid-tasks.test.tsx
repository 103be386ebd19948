import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { TaskItem } from "#app/components/task-list";
import { bidSectionsHtml, keptBidSectionsHtml, questionTask, type BidSectionTasks } from "#app/components/tendering/bid-tasks.server";
import { tasksInMarkup } from "#test/support/task-markup";
import { reactMarkup } from "#test/support/react-markup";

const hostile = `<img src=x onerror="alert('x')"> & more`;
const TENDER = "0b6c3f7e-1d2a-4c55-9a1e-1f2e3d4c5b6a";

const sections: BidSectionTasks[] = [
  {
    title: "Eligibility",
    questions: [
      { id: "q-1", number: "1.1", question: "Are you registered with Ofsted?", status: "Completed" },
      { id: "q-2", number: "1.2", question: `Insurance ${hostile}`, status: "Incomplete" },
    ],
  },
  {
    title: `Quality ${hostile}`,
    questions: [
      { id: "q-3", number: "2.1", question: "How do you keep children safe?", status: "Not started" },
      { id: "q-4", number: "2.2", question: "Short breaks only", status: "Not needed" },
    ],
  },
];

// The sections as the page's React component drew them before they became a string (decision 054).
function ReactSections({ open }: { open: boolean }) {
  return (
    <MemoryRouter>
      {sections.map((s) => (
        <section key={s.title}>
          <h2 className="govuk-heading-m">{s.title}</h2>
          <ul className="govuk-task-list">
            {s.questions.map((q) => (
              <TaskItem key={q.id} {...questionTask(TENDER, q, open)} />
            ))}
          </ul>
        </section>
      ))}
    </MemoryRouter>
  );
}

/** Markup with each element's attributes in name order, so two writers' orders compare equal. */
function attributesSorted(markup: string): string {
  return markup.replace(/<([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")+)>/g, (_all, tag: string, attrs: string) => {
    const list = [...attrs.matchAll(/\s+([a-z-]+="[^"]*")/g)].map((m) => m[1]!).sort();
    return `<${tag} ${list.join(" ")}>`;
  });
}

describe("a bid's question tasks written as HTML", () => {
  it("are the markup React's task items drew, open and after the deadline, whatever the words hold", () => {
    for (const open of [true, false]) {
      // React writes an apostrophe as &#x27;, the html template as &#39;. Remix marks its links for route
      // discovery (data-discover); the written links are plain ones, which load the page they go to.
      const react = reactMarkup(<ReactSections open={open} />)
        .replaceAll("&#x27;", "&#39;")
        .replaceAll(' data-discover="true"', "");
      expect(attributesSorted(bidSectionsHtml(TENDER, sections, open))).toBe(attributesSorted(react));
    }
  });

  it("show markup in a title or question as text, link only what can be answered, and tag each status", () => {
    const markup = bidSectionsHtml(TENDER, sections, true);
    expect(markup).not.toContain("<img");
    expect(markup).toContain("Quality &lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; more</h2>");
    expect(tasksInMarkup(markup)).toEqual([
      { label: "1.1 Are you registered with Ofsted?", href: `/tenders/${TENDER}/bid/questions/q-1`, status: "Completed", hint: null },
      { label: `1.2 Insurance ${hostile}`, href: `/tenders/${TENDER}/bid/questions/q-2`, status: "Incomplete", hint: null },
      { label: "2.1 How do you keep children safe?", href: `/tenders/${TENDER}/bid/questions/q-3`, status: "Not started", hint: null },
      { label: "2.2 Short breaks only", href: null, status: "Not needed", hint: "Only for lots you are not bidding for" },
    ]);
    expect(tasksInMarkup(bidSectionsHtml(TENDER, sections, false)).map((t) => t.href)).toEqual([null, null, null, null]);
  });

  it("are written once for the same kept sections and deadline state", () => {
    const open = keptBidSectionsHtml(TENDER, sections, true);
    expect(keptBidSectionsHtml(TENDER, sections, true)).toBe(open);
    expect(keptBidSectionsHtml(TENDER, sections, false)).toBe(bidSectionsHtml(TENDER, sections, false));
    // Sections worked out afresh (another revision of the draft) are written afresh.
    const changed = sections.map((s) => ({ ...s, questions: s.questions.map((q) => ({ ...q, status: "Completed" as const })) }));
    expect(tasksInMarkup(keptBidSectionsHtml(TENDER, changed, true)).map((t) => t.status)).toEqual(["Completed", "Completed", "Completed", "Completed"]);
  });
});
