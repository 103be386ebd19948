// Memory of a process and its descendants (the portal's primary and its web
// workers), read from /proc, sampled while a run goes on.
import fs from "node:fs/promises";

/** Resident memory of each living process in the tree, in bytes; empty where /proc is missing. */
export async function processTreeRss(pid: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const read = async (p: number) => {
    try {
      const status = await fs.readFile(`/proc/${p}/status`, "utf8");
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      if (kb) out.set(p, Number(kb) * 1024);
      for (const task of await fs.readdir(`/proc/${p}/task`)) {
        const children = (await fs.readFile(`/proc/${p}/task/${task}/children`, "utf8").catch(() => "")).trim();
        for (const child of children ? children.split(" ") : []) await read(Number(child));
      }
    } catch {
      /* gone */
    }
  };
  await read(pid);
  return out;
}

export interface MemorySampler {
  /** Stops sampling; the peak of the whole tree's RSS and each process's own peak, in bytes. */
  stop: () => Promise<{ peakTotalBytes: number; peakByProcess: Record<string, number>; samples: number }>;
}

/** Samples the tree every `intervalMs` until stopped. */
export function sampleMemory(pid: number, intervalMs = 250): MemorySampler {
  let peakTotal = 0;
  let samples = 0;
  const peaks = new Map<number, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const rss = await processTreeRss(pid);
      let total = 0;
      for (const [p, bytes] of rss) {
        total += bytes;
        peaks.set(p, Math.max(peaks.get(p) ?? 0, bytes));
      }
      peakTotal = Math.max(peakTotal, total);
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { peakTotalBytes: peakTotal, peakByProcess: Object.fromEntries([...peaks].map(([p, b]) => [String(p), b])), samples };
    },
  };
}
