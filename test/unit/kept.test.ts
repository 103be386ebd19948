import { describe, expect, it } from "vitest";
import { keptStore } from "#app/modules/common/kept";

/** A work function that counts its calls and answers when told to. */
function slowWork<T>(answer: T) {
  let calls = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    work: async () => {
      calls += 1;
      await gate;
      return answer;
    },
    release: () => release(),
    calls: () => calls,
  };
}

describe("keptStore", () => {
  const db = {};

  it("works a value out once for callers who ask at the same version while it runs", async () => {
    const store = keptStore();
    const slow = slowWork({ homes: 3 });
    const asks = Array.from({ length: 20 }, () => store.get(db, "k", "v1", slow.work));
    slow.release();
    const answers = await Promise.all(asks);
    expect(slow.calls()).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toEqual({ homes: 3 });
  });

  it("works it out again at a new version, and reuses it at the same one", async () => {
    const store = keptStore();
    let calls = 0;
    const work = async () => ++calls;
    expect(await store.get(db, "k", "v1", work)).toBe(1);
    expect(await store.get(db, "k", "v1", work)).toBe(1);
    expect(await store.get(db, "k", "v2", work)).toBe(2);
    expect(await store.get(db, "other", "v2", work)).toBe(3);
    expect(await store.get({}, "k", "v2", work)).toBe(4);
  });

  it("does not keep a failed work, so the next caller tries again", async () => {
    const store = keptStore();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error("database gone");
    };
    await expect(store.get(db, "k", "v1", failing)).rejects.toThrow("database gone");
    expect(await store.get(db, "k", "v1", async () => "worked")).toBe("worked");
    expect(calls).toBe(1);
  });

  it("works it out again when stillGood refuses the kept value", async () => {
    const store = keptStore();
    let calls = 0;
    const work = async () => ({ n: ++calls });
    await store.get(db, "k", "v1", work);
    expect(await store.get(db, "k", "v1", work, (v) => v.n > 1)).toEqual({ n: 2 });
    expect(await store.get(db, "k", "v1", work, (v) => v.n > 1)).toEqual({ n: 2 });
  });

  it("keeps at most the number of keys it is given, the oldest leaving first", async () => {
    const store = keptStore(2);
    let calls = 0;
    const work = async () => ++calls;
    await store.get(db, "a", "v", work);
    await store.get(db, "b", "v", work);
    await store.get(db, "c", "v", work);
    expect(await store.get(db, "b", "v", work)).toBe(2);
    expect(await store.get(db, "a", "v", work)).toBe(4);
  });
});
