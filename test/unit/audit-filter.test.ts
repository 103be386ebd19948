import { describe, expect, it } from "vitest";
import { actionLabel, auditActionOptions } from "#app/modules/audit/actions";
import { csvCell, csvRow } from "#app/modules/audit/csv";
import { auditFilterSearchParams, formatUkDateTime, parseAuditFilter } from "#app/modules/audit/trail";

function errorsFor(query: string) {
  const result = parseAuditFilter(new URLSearchParams(query));
  if (result.success) throw new Error(`expected "${query}" to be refused`);
  return result.errors;
}

function filterFor(query: string) {
  const result = parseAuditFilter(new URLSearchParams(query));
  if (!result.success) throw new Error(`expected "${query}" to parse: ${JSON.stringify(result.errors)}`);
  return result.filter;
}

const PERSON = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

describe("the audit trail's filter", () => {
  it("treats an empty form, or blank boxes, as no filter at all", () => {
    expect(filterFor("")).toEqual({});
    expect(filterFor("subjectType=&subjectId=%20&actorUserId=&action=&from=&to=&before=")).toEqual({});
  });

  it("accepts every field filled in properly, trimming stray spaces", () => {
    expect(
      filterFor(
        `subjectType=home&subjectId=%20H-123%20&actorUserId=${PERSON}&action=user.invited&from=2025-03-01&to=2025-03-31&before=120`,
      ),
    ).toEqual({
      subjectType: "home",
      subjectId: "H-123",
      actorUserId: PERSON,
      action: "user.invited",
      from: "2025-03-01",
      to: "2025-03-31",
      before: 120,
    });
  });

  it("accepts an action nobody has labelled yet, as long as it is a machine name", () => {
    expect(filterFor("action=placement.fee_changed").action).toBe("placement.fee_changed");
  });

  it.each(["2025-02-30", "2025-13-01", "30/03/2025", "2025-3-1", "yesterday", "0999-01-01"])(
    "says a 'from' date in a link (%s) is not a real date, against the day box",
    (value) => {
      expect(errorsFor(`from=${encodeURIComponent(value)}`)).toEqual({ "from-day": "Date from must be a real date" });
    },
  );

  it("reads the date boxes the form sends, in UK order, as an inclusive range", () => {
    expect(filterFor("from-day=1&from-month=3&from-year=2025&to-day=31&to-month=03&to-year=2025")).toEqual({
      from: "2025-03-01",
      to: "2025-03-31",
    });
    expect(filterFor("from-day=&from-month=&from-year=&to-day=&to-month=&to-year=")).toEqual({});
  });

  it("names the missing part of a date and links the summary to that box, keeping what was typed", () => {
    const result = parseAuditFilter(new URLSearchParams("from-day=27&from-month=&from-year=2025"));
    expect(result.success).toBe(false);
    expect(result.success ? null : result.errors).toEqual({ "from-month": "Date from must include a month" });
    expect(result.dates.from).toEqual({
      typed: { day: "27", month: "", year: "2025" },
      error: { message: "Date from must include a month", parts: ["month"] },
    });
  });

  it("accepts 29 February only in a leap year", () => {
    expect(filterFor("from=2024-02-29").from).toBe("2024-02-29");
    expect(errorsFor("from-day=29&from-month=2&from-year=2025")).toEqual({ "from-day": "Date from must be a real date" });
  });

  it("refuses a 'to' date before the 'from' date, against the 'to' boxes", () => {
    expect(errorsFor("from-day=2&from-month=3&from-year=2025&to-day=1&to-month=3&to-year=2025")).toEqual({
      "to-day": "Date to must be the same as or after date from",
    });
  });

  it("allows 'from' and 'to' to be the same day", () => {
    expect(filterFor("from=2025-03-30&to=2025-03-30")).toEqual({ from: "2025-03-30", to: "2025-03-30" });
  });

  it("shows a date from a link in the boxes as day, month and year", () => {
    expect(parseAuditFilter(new URLSearchParams("from=2025-03-07")).dates.from).toEqual({ typed: { day: "7", month: "3", year: "2025" } });
  });

  it("asks for a person from the list when the person is not a user ID", () => {
    expect(errorsFor("actorUserId=alice")).toEqual({ actorUserId: "Choose a person from the list" });
    expect(errorsFor("actorUserId=3f2b8c1e-9a4d-4e6f-8b7a")).toEqual({ actorUserId: "Choose a person from the list" });
  });

  it("asks for an action from the list when the action is not a machine name", () => {
    for (const value of ["User invited", "user", "user.", "=cmd()", "user.invited;drop"]) {
      expect(errorsFor(`action=${encodeURIComponent(value)}`)).toEqual({ action: "Choose an action from the list" });
    }
  });

  it("explains what a record type looks like", () => {
    expect(errorsFor("subjectType=Home")).toEqual({
      subjectType: "Enter a record type in lower case letters, like home or agreement",
    });
  });

  it("limits the record ID to 200 characters", () => {
    expect(errorsFor(`subjectId=${"x".repeat(201)}`)).toEqual({ subjectId: "The record ID must be 200 characters or fewer" });
    expect(filterFor(`subjectId=${"x".repeat(200)}`).subjectId).toHaveLength(200);
  });

  it.each(["0", "-1", "1.5", "abc", "1e3", "99999999999999999999"])("refuses a broken page link (before or after=%s)", (value) => {
    expect(errorsFor(`before=${encodeURIComponent(value)}`)).toEqual({
      before: "This page link is not valid: go back to the first page",
    });
    expect(errorsFor(`after=${encodeURIComponent(value)}`)).toEqual({
      after: "This page link is not valid: go back to the first page",
    });
  });

  it("reports every wrong field at once, one message each", () => {
    expect(errorsFor("from=nope&to-day=30&to-month=2&to-year=2025&actorUserId=x&action=X&before=0")).toEqual({
      "from-day": "Date from must be a real date",
      "to-day": "Date to must be a real date",
      actorUserId: "Choose a person from the list",
      action: "Choose an action from the list",
      before: "This page link is not valid: go back to the first page",
    });
  });

  it("refuses a value that is not text, such as a repeated field parsed into a list", () => {
    const result = parseAuditFilter({ from: ["2025-01-01", "2025-01-02"] });
    expect(result).toMatchObject({ success: false, errors: { "from-day": "Date from must be a real date" } });
  });

  it("turns a filter back into search params for the next page link", () => {
    const filter = { subjectType: "home", action: "home.created", from: "2025-01-01", before: 51 };
    const params = auditFilterSearchParams(filter);
    expect(params.toString()).toBe("subjectType=home&action=home.created&from=2025-01-01&before=51");
    expect(filterFor(params.toString())).toEqual(filter);
  });
});

describe("audit action labels", () => {
  it("gives the plain-English label of a known action", () => {
    expect(actionLabel("user.invited")).toBe("Invited a user");
    expect(actionLabel("user.sign_in_failed")).toBe("Sign-in failed");
    expect(actionLabel("audit.checkpoint_signed")).toBe("Signed an audit checkpoint");
  });

  it("still reads sensibly for an action nobody has labelled", () => {
    expect(actionLabel("placement.fee_changed")).toBe("Placement: fee changed");
  });

  it("lists the labelled actions for the dropdown, sorted by label", () => {
    const options = auditActionOptions();
    expect(options).toContainEqual({ name: "user.locked", label: "Sign-in slowed for an account" });
    expect(options.map((o) => o.name)).not.toContain("email.queued");
    const labels = options.map((o) => o.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, "en-GB")));
  });
});

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks as RFC 4180 says", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvRow(["a", 1, null, ""])).toBe("a,1,,\r\n");
  });

  it("stops a cell being read as a spreadsheet formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvCell(`${start}SUM(A1)`).replace(/^"/, "")).toMatch(/^'/);
    }
    expect(csvCell("=HYPERLINK(\"http://x\",\"y\")")).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-5)).toBe("-5");
  });
});

describe("UK times", () => {
  it("shows GMT in winter and BST in summer, so the repeated autumn hour is clear", () => {
    expect(formatUkDateTime(new Date("2025-10-26T00:30:00Z"))).toBe("26 Oct 2025 01:30:00 BST");
    expect(formatUkDateTime(new Date("2025-10-26T01:30:00Z"))).toBe("26 Oct 2025 01:30:00 GMT");
    expect(formatUkDateTime(new Date("2025-06-30T23:00:00Z"), "sortable")).toBe("2025-07-01 00:00:00 BST");
  });
});
