// How many web workers `npm start` runs (issue 7): one per core the process
// may use unless WEB_CONCURRENCY says otherwise, and a clear message for a
// value that is not a number of workers.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { webConcurrency } from "#app/server/cluster";

/** An environment holding only these variables. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("the number of web workers", () => {
  it("is one per core the process may use when WEB_CONCURRENCY is not set or blank", () => {
    expect(webConcurrency(env({}))).toBe(os.availableParallelism());
    expect(webConcurrency(env({ WEB_CONCURRENCY: "  " }))).toBe(os.availableParallelism());
  });

  it("is WEB_CONCURRENCY when it is a whole number of 1 or more", () => {
    expect(webConcurrency(env({ WEB_CONCURRENCY: "1" }))).toBe(1);
    expect(webConcurrency(env({ WEB_CONCURRENCY: " 3 " }))).toBe(3);
  });

  it("refuses anything else, saying what it must be", () => {
    for (const value of ["0", "-2", "1.5", "two", "4x"]) {
      expect(() => webConcurrency(env({ WEB_CONCURRENCY: value }))).toThrow(`WEB_CONCURRENCY must be a whole number of workers (1 or more), not "${value}"`);
    }
  });
});
