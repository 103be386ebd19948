// The load generator thread's entry point, in plain JavaScript: a worker does
// not inherit the parent's `--import tsx`, so it registers tsx itself and then
// loads the TypeScript worker (as app/modules/pdf/worker-entry.mjs does).
import { register } from "tsx/esm/api";

register();
await import("./load-worker.ts");
