// Renders PDFs in worker threads. react-pdf's layout is CPU-bound and never
// yields: in the web server's own thread, a 300-event audit extract kept
// every other request waiting for the whole 4.8 s it took (decision 009).
// Workers start on first use; an idle worker does not keep the process alive,
// a busy one does.
import { Worker } from "node:worker_threads";
import type { PdfRequest } from "./documents";

export interface PdfRenderer {
  render(request: PdfRequest): Promise<Buffer>;
  close(): Promise<void>;
}

interface Job {
  id: number;
  request: PdfRequest;
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

const WORKER_FILE = new URL("./worker-entry.mjs", import.meta.url);

export function createPdfRenderer(options: { workers?: number } = {}): PdfRenderer {
  const size = Math.max(1, options.workers ?? 1);
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function start(): Slot {
    // React's production build in the worker, whatever mode the portal runs in:
    // react-pdf's own layout code renders list items without keys, and the
    // development build would print a warning for every extract.
    const worker = new Worker(WORKER_FILE, { env: { ...process.env, NODE_ENV: "production" } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on("message", (message: { id: number; pdf?: ArrayBuffer; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      worker.unref();
      if (message.pdf) job.resolve(Buffer.from(message.pdf));
      else job.reject(new Error(`The PDF could not be made: ${message.error ?? "unknown error"}`));
      pump();
    });
    const lost = (error: Error) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      slot.job?.reject(error);
      slot.job = null;
      pump();
    };
    worker.on("error", (error) => lost(error));
    worker.on("exit", (code) => lost(new Error(`The PDF worker stopped (exit code ${code})`)));
    slots.push(slot);
    return slot;
  }

  function pump() {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? start() : null);
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, request: job.request });
    }
  }

  return {
    render(request) {
      if (closed) return Promise.reject(new Error("The PDF renderer has been closed"));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, request, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error("The PDF renderer has been closed"));
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
