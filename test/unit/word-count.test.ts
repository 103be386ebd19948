import { describe, expect, it } from "vitest";
import { wordCount } from "#app/modules/tendering/bids-text";

// The definition the count must keep: runs of characters between what the engine's own \s matches.
const byRegex = (text: string) => {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/u).length;
};

// Every code unit \s matches, and neighbours that look like spaces but are not (zero-width space, Mongolian vowel separator, NUL, DEL, C1 controls).
const ALL_CODE_UNITS = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));
const SPACES = ALL_CODE_UNITS.filter((c) => /\s/u.test(c));
const LOOKALIKES = ["\u200b", "\u180e", "\u0000", "\u007f", "\u0085", "\u2060", "\u00ad"];
const LETTERS = ["a", "Z", "é", "1", ".", "-", "😀", "\ud83d", "<", "ß"];

describe("counting an answer's words", () => {
  it("counts what splitting on \\s counts, for every character \\s matches and its look-alikes", () => {
    expect(SPACES.length).toBe(25);
    for (const c of ALL_CODE_UNITS) expect(wordCount(`one${c}two`), `U+${c.charCodeAt(0).toString(16)}`).toBe(byRegex(`one${c}two`));
  });

  it("counts what splitting counts on random mixes of words, spaces and look-alikes", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pool = [...SPACES, ...LOOKALIKES, ...LETTERS, ...LETTERS];
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => pool[Math.floor(random() * pool.length)]!).join("");
      expect(wordCount(text), JSON.stringify(text)).toBe(byRegex(text));
    }
  });

  it("counts nothing in an empty or blank answer, and words across lines", () => {
    expect(wordCount("")).toBe(0);
    expect(wordCount(" \n\t\u3000 ")).toBe(0);
    expect(wordCount("  Our staff\r\nkeep children   safe. ")).toBe(5);
  });
});
