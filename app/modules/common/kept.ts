// Values worked out from the database and kept in this process while a
// version the caller reads says nothing they depend on has changed: the
// audit chain's (keptWhileChainUnchanged, audit/audit.ts) or a tender's
// (its questions on the bid pages). Kept per database handle, so test
// databases in one process never share a value, and per key.

interface Kept {
  version: string;
  /** The work's answer, or its promise while it is being worked out. */
  value: Promise<unknown>;
  settled: { value: unknown } | null;
}

export interface KeptStore {
  /**
   * The value kept under `key` if it was worked out at `version` and
   * `stillGood` accepts it; otherwise `work`'s answer, kept in its place.
   * Callers asking at the same version while the work runs share its answer
   * (twenty requests after a change work it out once); a failed work is not kept.
   */
  get<T>(db: object, key: string, version: string, work: () => Promise<T>, stillGood?: (value: T) => boolean): Promise<T>;
}

/** A store of kept values holding at most `most` keys per handle, the least recently worked out leaving first. */
export function keptStore(most = Number.POSITIVE_INFINITY): KeptStore {
  const perHandle = new WeakMap<object, Map<string, Kept>>();
  return {
    async get<T>(db: object, key: string, version: string, work: () => Promise<T>, stillGood: (value: T) => boolean = () => true): Promise<T> {
      let kept = perHandle.get(db);
      if (!kept) perHandle.set(db, (kept = new Map()));
      const hit = kept.get(key);
      if (hit && hit.version === version) {
        if (!hit.settled) return hit.value as Promise<T>;
        if (stillGood(hit.settled.value as T)) return hit.settled.value as T;
      }
      const entry: Kept = { version, value: work(), settled: null };
      kept.delete(key);
      kept.set(key, entry);
      if (kept.size > most) kept.delete(kept.keys().next().value!);
      try {
        const value = (await entry.value) as T;
        entry.settled = { value };
        return value;
      } catch (error) {
        if (kept.get(key) === entry) kept.delete(key);
        throw error;
      }
    },
  };
}
