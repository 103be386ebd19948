import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// vitest ignores tsconfig "paths": the same aliases, mirrored.
const alias = {
  "#app": path.resolve("app"),
  "#db": path.resolve("db"),
  "#emails": path.resolve("emails"),
  "#test": path.resolve("test"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // vitest's default is one worker fewer than the cores: on a two-core
    // machine, one. The integration tests wait on PostgreSQL much of the time,
    // so two side by side there took 348 s instead of about 515 s (three, 440 s).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.{ts,tsx}", "app/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          globalSetup: ["test/support/global-database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Each file gets its own database, so files may run side by side.
          fileParallelism: true,
        },
      },
    ],
  },
});
