// One PDF pool for a whole instance. With several web workers, each used to
// start worker threads of its own, and every one of them loaded react-pdf and
// warmed up at the same time just after a start: on a small machine the first
// report then waited seconds for them. Now the primary process holds the only
// pool (renderer.ts) and web workers ask it over the cluster's IPC channel,
// which must use "advanced" serialization so that dates in a document's input
// and the PDF's bytes arrive as they were sent.
import type { PdfRequest } from "./documents";
import type { PdfRenderer } from "./renderer";

/** The messages both ways; `portalPdf` tells them from the cluster's other messages. */
export type PdfMessage =
  | { portalPdf: "render"; id: number; request: PdfRequest }
  | { portalPdf: "rendered"; id: number; pdf: Uint8Array }
  | { portalPdf: "failed"; id: number; error: string };

/** What a web worker talks to the primary through: `process` in a cluster worker. */
export interface PdfChannel {
  send?: (message: PdfMessage) => unknown;
  /** False once the channel to the primary has closed. */
  connected?: boolean;
  on(event: "message", listener: (message: unknown) => void): unknown;
  on(event: "disconnect", listener: () => void): unknown;
}

function isPdfMessage(message: unknown): message is PdfMessage {
  return typeof message === "object" && message !== null && "portalPdf" in message && typeof (message as { id?: unknown }).id === "number";
}

/**
 * In the process that holds the pool: makes the PDF a message asks for and
 * sends it back with `reply`. Returns false, doing nothing, for any other
 * message. A reply that cannot be sent (the asker has gone) is dropped.
 */
export function answerPdfRequest(renderer: PdfRenderer, message: unknown, reply: (message: PdfMessage) => void): boolean {
  if (!isPdfMessage(message) || message.portalPdf !== "render") return false;
  const { id } = message;
  const send = (answer: PdfMessage) => {
    try {
      reply(answer);
    } catch {
      // The web worker stopped while its document was being made.
    }
  };
  renderer.render(message.request).then(
    (pdf) => send({ portalPdf: "rendered", id, pdf }),
    (error: unknown) => send({ portalPdf: "failed", id, error: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}

/**
 * In a web worker: a renderer that has the primary's pool make each PDF. The
 * primary warms its pool once for every worker, so warm() has nothing to do
 * here; close() refuses new work and fails what is still waiting.
 */
export function primaryPdfRenderer(channel: PdfChannel): PdfRenderer {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error("primaryPdfRenderer needs an IPC channel: run it in a cluster web worker");
  const waiting = new Map<number, { resolve: (pdf: Buffer) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed: string | null = null;

  const failAll = (reason: string) => {
    for (const job of waiting.values()) job.reject(new Error(reason));
    waiting.clear();
  };
  channel.on("message", (message) => {
    if (!isPdfMessage(message) || message.portalPdf === "render") return;
    const job = waiting.get(message.id);
    if (!job) return;
    waiting.delete(message.id);
    if (message.portalPdf === "rendered") job.resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength));
    else job.reject(new Error(message.error));
  });
  channel.on("disconnect", () => {
    closed ??= "The PDF renderer has been closed";
    failAll("The PDF could not be made: the portal is stopping");
  });

  return {
    render(request) {
      if (closed) return Promise.reject(new Error(closed));
      if (channel.connected === false) return Promise.reject(new Error("The PDF could not be made: the portal is stopping"));
      return new Promise<Buffer>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        try {
          send({ portalPdf: "render", id, request });
        } catch (error) {
          waiting.delete(id);
          reject(new Error(`The PDF could not be made: ${error instanceof Error ? error.message : String(error)}`));
        }
      });
    },
    warm: async () => {},
    workers: () => 0,
    async close() {
      closed = "The PDF renderer has been closed";
      failAll(closed);
    },
  };
}
