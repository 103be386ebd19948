// Values worked out from the database and kept in this process while a
// version the caller reads says nothing they depend on has changed: the
// audit chain's (keptWhileChainUnchanged, audit/audit.ts) or a tender's
// (its questions on the bid pages). Kept per database handle, so test
// databases in one process never share a value, and per key.

interface Kept {
  version: string;
  value: unknown;
}

export interface KeptStore {
  /**
   * The value kept under `key` if it was worked out at `version` and
   * `stillGood` accepts it; otherwise `work`'s answer, kept in its place.
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
      if (hit && hit.version === version && stillGood(hit.value as T)) return hit.value as T;
      const value = await work();
      kept.delete(key);
      kept.set(key, { version, value });
      if (kept.size > most) kept.delete(kept.keys().next().value!);
      return value;
    },
  };
}
