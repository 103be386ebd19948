// The worker thread's entry point, in plain JavaScript: a worker does not
// inherit the parent's `--import tsx`, so it registers tsx itself and then
// loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
