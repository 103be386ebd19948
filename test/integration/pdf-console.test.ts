// `npm start` in development printed React's "unique key" warning whenever a
// PDF was made: react-pdf lays out list items without keys, and React's
// development build warns of each. The PDF worker threads run React's
// production build whatever mode the portal runs in (renderer.ts), so making
// a PDF prints nothing.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupAll, spawnNode } from "#test/bench/lib/processes";

afterAll(() => cleanupAll());

describe("making a PDF in development mode", () => {
  it("prints no warning from React or react-pdf", async () => {
    const child = spawnNode(["--import", "tsx", path.join("test", "support", "pdf-console.ts")], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: "development" },
      label: "pdf-console",
    });
    const exit = await child.exited;
    expect(exit.code, child.output()).toBe(0);
    expect(child.stdout()).toMatch(/^made a PDF of \d+ bytes\n$/);
    expect(child.output()).not.toMatch(/Warning|unique "key"/);
    expect(child.output().trim()).toBe(child.stdout().trim());
  }, 60_000);
});
