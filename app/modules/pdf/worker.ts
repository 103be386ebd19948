// A worker thread that renders PDFs, so a long document (an audit extract of a
// busy record takes seconds) never holds up the pages other people are
// waiting for. Started by renderer.ts; one document at a time.
import { parentPort } from "node:worker_threads";
import { renderDocument, warmUp, type PdfRequest, type WarmUpStep } from "./documents";

if (!parentPort) throw new Error("pdf/worker.ts runs as a worker thread");
const port = parentPort;

port.on("message", (message: { id: number; request: PdfRequest | { warmUp: WarmUpStep } }) => {
  if ("warmUp" in message.request) {
    warmUp(message.request.warmUp).then(
      () => port.postMessage({ id: message.id, warmed: true }),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  renderDocument(message.request).then(
    (pdf) => {
      // Copied into a buffer of its own, so the whole of it can be handed over rather than cloned.
      const bytes = new Uint8Array(pdf).buffer;
      port.postMessage({ id: message.id, pdf: bytes }, [bytes]);
    },
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
