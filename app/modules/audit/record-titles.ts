// A readable name for a record the trail names, for page headings and the
// audit extract. Unknown types fall back to "type id".
import type { Reader } from "#app/database/schema";
import { isUuid } from "#app/modules/common/input";
import type { Subject } from "./canonical";

export async function recordTitle(db: Reader, subject: Subject): Promise<string> {
  const fallback = `${subject.type} ${subject.id}`;
  if (!isUuid(subject.id)) return fallback;
  switch (subject.type) {
    case "user": {
      const row = await db.selectFrom("app_user").select(["full_name", "email"]).where("id", "=", subject.id).executeTakeFirst();
      return row ? `User: ${row.full_name} (${row.email})` : fallback;
    }
    case "organisation": {
      const row = await db.selectFrom("organisation").select("name").where("id", "=", subject.id).executeTakeFirst();
      return row ? `Organisation: ${row.name}` : fallback;
    }
    case "agreement": {
      const row = await db.selectFrom("agreement").select(["reference", "title"]).where("id", "=", subject.id).executeTakeFirst();
      return row ? `Agreement: ${row.reference} ${row.title}` : fallback;
    }
    case "lot": {
      const row = await db.selectFrom("lot").select(["number", "title"]).where("id", "=", subject.id).executeTakeFirst();
      return row ? `Lot ${row.number}: ${row.title}` : fallback;
    }
    case "home": {
      const row = await db.selectFrom("home").select(["name", "ofsted_urn"]).where("id", "=", subject.id).executeTakeFirst();
      return row ? `Home: ${row.name}${row.ofsted_urn ? ` (URN ${row.ofsted_urn})` : ""}` : fallback;
    }
    default:
      return fallback;
  }
}
