import { describe, expect, it } from "vitest";
import { safeReturnTo } from "#app/web/redirects";

describe("the address to return to after signing in", () => {
  it.each([
    ["/agreements?page=2", "/agreements?page=2"],
    ["/homes/abc#history", "/homes/abc#history"],
    ["/audit?person=J%C3%BC", "/audit?person=J%C3%BC"],
    // A bare name is a path on this site too, never a host.
    ["evil.example", "/evil.example"],
  ])("keeps a path on this site: %j", (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it.each([
    // As the issue found it, decoded by the query string: a tab the browser drops.
    "/\t/evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "\t//evil.example",
    "//evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "https://evil.example/x",
    "javascript:alert(1)",
    "data:text/html,hi",
    // Dot segments that resolve to a protocol-relative path.
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "",
    "/sign-in?returnTo=/x",
    "/sign-out",
  ])("sends anything that could leave the site to the dashboard: %j", (value) => {
    expect(safeReturnTo(value)).toBe("/");
  });

  it("reads an encoded slash as part of a path, not as a host", () => {
    expect(safeReturnTo("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("ignores what is not text", () => {
    expect(safeReturnTo(null)).toBe("/");
    expect(safeReturnTo(["/x"])).toBe("/");
  });
});
