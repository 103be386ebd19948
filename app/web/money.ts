// Amounts typed in pounds ("5200", "£5,200.50") as whole pence, for forms:
// empty is null, anything else that is not an amount is the field's message.

export type PenceResult = { kind: "empty" } | { kind: "pence"; pence: number } | { kind: "problem"; message: string };

export function penceFromPounds(typed: string | null | undefined, label: string, maxWholeDigits = 7): PenceResult {
  const text = (typed ?? "").replace(/[£,\s]/g, "");
  if (text === "") return { kind: "empty" };
  if (!new RegExp(`^\\d{1,${maxWholeDigits}}(\\.\\d{1,2})?$`).test(text)) return { kind: "problem", message: `${label} must be an amount in pounds, like 5200 or 5200.50` };
  const [whole, fraction = ""] = text.split(".");
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (pence <= 0) return { kind: "problem", message: `${label} must be more than £0` };
  return { kind: "pence", pence };
}

/** Pence as a form shows them again: "5200" or "5200.50". */
export function poundsForForm(pence: number | null): string {
  if (pence === null) return "";
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}
