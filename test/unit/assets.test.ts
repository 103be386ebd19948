import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isDevelopmentBundle } from "#app/server/assets";

function bundle(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-assets-"));
  const file = path.join(dir, "index.js");
  fs.writeFileSync(file, text);
  return file;
}

describe("telling a development bundle from a production one", () => {
  it("knows a bundle that imports React's development JSX runtime, as remix build makes under NODE_ENV=development or test", () => {
    expect(isDevelopmentBundle(bundle('import { jsxDEV } from "react/jsx-dev-runtime";\nexport const a = 1;'))).toBe(true);
  });

  it("accepts a production bundle", () => {
    expect(isDevelopmentBundle(bundle('import { jsx, jsxs } from "react/jsx-runtime";\nexport const a = 1;'))).toBe(false);
  });
});
