// How a bid's words and prices are counted and read, shared by the server
// (which enforces them) and the bid pages' word counter and price fields,
// so the count people see as they type is the count the server applies.
import { longDate } from "#app/modules/common/input";

/** Answers are stored NFC-normalised, so the same words always hash the same. */
export function normaliseAnswer(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n").trim();
}

/**
 * Words are runs of characters between spaces or line breaks (what `\s`
 * matches). Counted in one pass without splitting: a bid page counts every
 * answer of the draft, tens of thousands of words, on each view.
 */
export function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** JavaScript's `\s`: tab, line breaks, vertical tab, form feed, the Unicode space separators, line and paragraph separators, BOM. */
function isSpace(c: number): boolean {
  if (c > 0x20 && c < 0xa0) return false;
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * "£1,234.50", "1234.5" or "1234" as whole pence; null when nothing was
 * typed; NaN when it is not an amount of money with at most two decimals.
 */
export function penceFromPounds(typed: string): number | null {
  const text = typed.trim().replace(/^£/, "").replace(/,/g, "").trim();
  if (text === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  const [whole, fraction = ""] = text.split(".") as [string, string?];
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** A library document as attached to a bid: what it is and until when it is valid. */
export interface AttachedEvidence {
  id: string;
  title: string;
  kindLabel: string;
  expiresOn: string | null;
}

/** How an attached file is named on the bid's pages and receipts: a library document by its title, kind and expiry too. */
export function attachedFileLabel(f: { fileName: string; evidence: AttachedEvidence | null }): string {
  if (!f.evidence) return f.fileName;
  const { title, kindLabel, expiresOn } = f.evidence;
  const kind = title.toLowerCase() === kindLabel.toLowerCase() ? "" : ` (${kindLabel.toLowerCase()})`;
  const expiry = expiresOn ? `, valid until ${longDate(expiresOn)}` : ", no expiry date";
  return `${title}${kind}, from the evidence library${expiry}: ${f.fileName}`;
}
