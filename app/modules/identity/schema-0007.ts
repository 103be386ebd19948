// Kysely's view of what migration 0007 adds. It belongs in
// app/database/schema.ts; it sits here, merged into those interfaces, only
// until that file can take it (fold it in and delete this file).
import type { ColumnType } from "kysely";

export interface SignInThrottleTable {
  kind: "account" | "address";
  subject: string;
  failures: ColumnType<number, number | undefined, number>;
  counted_at: Date | null;
  next_attempt_at: Date | null;
  throttled_since: Date | null;
  refused: ColumnType<number, number | undefined, number>;
}

/** user_token.purpose as widened by 0007 (schema.ts still lists the first two). */
export type TokenPurpose0007 = "invitation" | "password_reset" | "sign_in_link";

declare module "#app/database/schema" {
  interface Database {
    sign_in_throttle: SignInThrottleTable;
  }
  interface OutboxEmailTable {
    html_without_links: string | null;
    text_without_links: string | null;
  }
}
