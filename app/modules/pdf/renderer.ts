// Renders PDFs in worker threads. react-pdf's layout is CPU-bound and never
// yields: in the web server's own thread, a 300-event audit extract kept
// every other request waiting for the whole 4.8 s it took (decision 009).
// Workers start on first use, or all at once when the portal asks to warm
// them (warm(), once it is listening): a worker's first document otherwise
// pays for loading tsx, react-pdf and its fonts, seconds on a busy machine. An
// idle worker does not keep the process alive, a busy one does.
import { Worker } from "node:worker_threads";
import { WARM_UP_STEPS, type PdfRequest, type WarmUpStep } from "./documents";

export interface PdfRenderer {
  render(request: PdfRequest): Promise<Buffer>;
  /**
   * Starts every worker and has each load its libraries and make a small PDF
   * of each kind, a step at a time: a document asked for meanwhile goes
   * before the next step. Resolves when every worker has done every step.
   */
  warm(): Promise<void>;
  /** How many worker threads are running. */
  workers(): number;
  close(): Promise<void>;
}

interface Job {
  id: number;
  /** A warm-up step: load a library and make a small PDF with it, to send nothing back. */
  request: PdfRequest | { warmUp: WarmUpStep };
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** This worker's warm-up steps still to do, done only while no document waits. */
  warmUps: Job[];
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
    const slot: Slot = { worker, job: null, warmUps: [] };
    worker.on("message", (message: { id: number; pdf?: ArrayBuffer; warmed?: true; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      worker.unref();
      if (message.pdf) job.resolve(Buffer.from(message.pdf));
      else if (message.warmed) job.resolve(Buffer.alloc(0));
      else job.reject(new Error(`The PDF could not be made: ${message.error ?? "unknown error"}`));
      pump();
    });
    const lost = (error: Error) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      slot.job?.reject(error);
      slot.job = null;
      for (const job of slot.warmUps.splice(0)) job.reject(error);
      pump();
    };
    worker.on("error", (error) => lost(error));
    worker.on("exit", (code) => lost(new Error(`The PDF worker stopped (exit code ${code})`)));
    slots.push(slot);
    return slot;
  }

  function send(slot: Slot, job: Job) {
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, request: job.request });
  }

  function pump() {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? start() : null);
      if (!slot) return;
      send(slot, queue.shift()!);
    }
    if (closed) return;
    for (const slot of slots) if (slot.job === null && slot.warmUps.length > 0) send(slot, slot.warmUps.shift()!);
  }

  return {
    render(request) {
      if (closed) return Promise.reject(new Error("The PDF renderer has been closed"));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, request, resolve, reject });
        pump();
      });
    },
    async warm() {
      if (closed) return;
      while (slots.length < size) start();
      const steps = slots.flatMap((slot) =>
        WARM_UP_STEPS.map((step) => new Promise<Buffer>((resolve, reject) => slot.warmUps.push({ id: nextId++, request: { warmUp: step }, resolve, reject }))),
      );
      pump();
      // Closing the renderer part-way through is not a failure to report.
      await Promise.all(steps).catch((error: unknown) => {
        if (!closed) throw error;
      });
    },
    workers: () => slots.length,
    async close() {
      closed = true;
      for (const job of [...queue.splice(0), ...slots.flatMap((slot) => slot.warmUps.splice(0))]) job.reject(new Error("The PDF renderer has been closed"));
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
