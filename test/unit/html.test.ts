import { describe, expect, it } from "vitest";
import type { AuditListEvent } from "#app/modules/audit/trail";
import { registerAuditActions } from "#app/modules/audit/actions";
import { auditActionOptionsHtml, auditTrailRows } from "#app/web/audit-rows.server";
// Remix's own encoder of the data it sends the browser, to pin how it treats held-back markup.
import { ServerMode } from "@remix-run/server-runtime/dist/mode.js";
import { encodeViaTurboStream } from "@remix-run/server-runtime/dist/single-fetch.js";
import { DocumentOnlyHtml, escapeHtml, html, markupForPage, tableRowsHtml } from "#app/web/html.server";
import { rowsOf } from "#test/support/audit-rows";

describe("HTML written as a string", () => {
  it("escapes every value put into a template", () => {
    expect(html`<td title="${`" onmouseover="x`}">${"<script>alert('x')</script> & more"}</td>`.markup).toBe(
      '<td title="&quot; onmouseover=&quot;x">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</td>',
    );
  });

  it("puts markup made by html in as it is, joins lists, and leaves out nothing-values", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.markup).toBe("<ul><li>a&lt;b</li><li>c</li></ul>0");
  });

  it("does not treat a string that looks like markup as markup", () => {
    expect(escapeHtml(html`<b>x</b>`.markup)).toBe("&lt;b&gt;x&lt;/b&gt;");
  });
});

describe("the audit trail's rows", () => {
  const hostile = '<img src=x onerror="alert(1)">';
  const event: AuditListEvent = {
    seq: 7,
    occurredAt: new Date("2026-03-29T00:30:00Z"),
    actor: { userId: "u1", name: `Jo ${hostile}`, roles: [], organisationId: "o1", organisationName: "Harbour & Light" },
    action: "home.created",
    actionLabel: "Added a home",
    summary: `Added ${hostile}`,
    subjects: [{ type: "home", id: "h1" }],
    subjectCount: 1,
    after: null,
    reason: `Because ${hostile}`,
    requestId: null,
    clientAddress: null,
  };

  it("shows names, summaries and reasons typed by people as text, never as markup", () => {
    const markup = auditTrailRows([event], { h1: `Home ${hostile}` });
    expect(markup).not.toContain("<img");
    const [row] = rowsOf({ rowsHtml: markup });
    expect(row).toEqual({
      seq: 7,
      who: { who: `Jo ${hostile}`, detail: "Harbour & Light" },
      actionLabel: "Added a home",
      records: [{ href: "/audit/records/home/h1", name: `Home ${hostile}` }],
      more: null,
    });
    expect(markup).toContain(`Reason: Because &lt;img src=x onerror=&quot;alert(1)&quot;&gt;`);
  });

  it("gives the date and time in UK time on lines of their own", () => {
    const markup = auditTrailRows([event], {});
    expect(markup).toContain('<div class="portal-nowrap">29 March 2026</div><div>12:30am</div>');
  });
});

describe("the audit trail's action filter, written as HTML (decision 042)", () => {
  /** The options as a browser reads them: value, text and whether chosen. */
  const optionsOf = (markup: string) =>
    [...markup.matchAll(/<option value="([^"]*)"( selected)?>(.*?)<\/option>/g)].map(([, value, selected, text]) => ({
      value: value!,
      text: text!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&"),
      selected: selected !== undefined,
    }));

  it("lists 'Any action' first, then every labelled action, with 'Any action' chosen when none is", () => {
    const options = optionsOf(auditActionOptionsHtml(undefined));
    expect(options[0]).toEqual({ value: "", text: "Any action", selected: true });
    expect(options).toContainEqual({ value: "user.signed_in", text: "Signed in", selected: false });
    expect(options.filter((o) => o.selected)).toHaveLength(1);
    expect(optionsOf(auditActionOptionsHtml(""))).toEqual(options);
  });

  it("marks the chosen action, and none when what was asked for is not an action", () => {
    const chosen = optionsOf(auditActionOptionsHtml("user.signed_in"));
    expect(chosen.filter((o) => o.selected)).toEqual([{ value: "user.signed_in", text: "Signed in", selected: true }]);
    expect(optionsOf(auditActionOptionsHtml('user.signed_in" selected x="')).filter((o) => o.selected)).toEqual([]);
    // The list with nothing chosen is not left marked by an earlier choice.
    expect(optionsOf(auditActionOptionsHtml(undefined)).filter((o) => o.selected).map((o) => o.value)).toEqual([""]);
  });

  it("shows a label with markup in it as text, and takes in actions registered later", () => {
    const before = auditActionOptionsHtml(undefined);
    registerAuditActions({ "test.hostile": `Did <script>alert("x")</script> & 'more'` });
    const markup = auditActionOptionsHtml(undefined);
    expect(markup).not.toBe(before);
    expect(markup).not.toContain("<script>");
    expect(optionsOf(markup)).toContainEqual({ value: "test.hostile", text: `Did <script>alert("x")</script> & 'more'`, selected: false });
  });
});

describe("markup only the page's own render reads (decision 026)", () => {
  const rows = '<tr class="govuk-table__row"><td class="govuk-table__cell">Row for the table only</td></tr>';
  /** What Remix puts in the page, or sends as `.data`, for these loader data. */
  const sentToBrowser = (rowsHtml: unknown) =>
    new Response(encodeViaTurboStream({ loaderData: { "routes/audit._index": { rowsHtml } } }, new AbortController().signal, undefined, ServerMode.Production)).text();

  it("reaches the server's render of the page but not the browser's copy of the data", async () => {
    const held = markupForPage(rows, true);
    expect(held).toBeInstanceOf(DocumentOnlyHtml);
    expect((held as DocumentOnlyHtml).markup).toBe(rows);
    const sent = await sentToBrowser(held);
    expect(sent).toContain("rowsHtml");
    expect(sent).not.toContain("Row for the table only");
  });

  it("goes to the browser as it is when the browser asked for the data alone", async () => {
    expect(markupForPage(rows, false)).toBe(rows);
    expect(markupForPage(rows, undefined)).toBe(rows);
    expect(await sentToBrowser(markupForPage(rows, false))).toContain("Row for the table only");
  });
});

describe("tableRowsHtml", () => {
  it("writes a GOV.UK table's rows with every cell's text escaped, numeric cells marked", () => {
    const rows = [{ name: `Rose & Crown <script>alert("x")</script>`, beds: 3 }];
    const markup = tableRowsHtml(rows, [{ text: (r) => r.name }, { numeric: true, text: (r) => String(r.beds) }]);
    expect(markup).toBe(
      '<tr class="govuk-table__row"><td class="govuk-table__cell">Rose &amp; Crown &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>' +
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td></tr>',
    );
    expect(tableRowsHtml([], [{ text: () => "x" }])).toBe("");
  });
});
