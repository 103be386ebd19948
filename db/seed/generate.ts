// Generated data sets for tests and benchmarks: any number of fictional
// councils, providers, homes and users from a seed. Small things go through
// the modules; homes, judgements and users are inserted in bulk for speed,
// each still with its own audit event (or, if asked, one event per batch).
import type { Kysely } from "kysely";
import type { Database, Role, Trx } from "#app/database/schema";
import { createAgreement } from "#app/modules/agreements/agreements";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { checkHomeDetails, homeCreatedEvent, judgementRecordedEvent, type OfstedGrade } from "#app/modules/homes/homes";
import { systemContext } from "#app/modules/identity/actor";
import { hashPassword, passwordProblem } from "#app/modules/identity/passwords";
import { roleList, rolesFor } from "#app/modules/identity/roles";
import { createConsortium, createCouncil, createProvider, type OrganisationDetails } from "#app/modules/organisations/organisations";
import { DEMO_PASSWORD } from "./demo";
import { generateTendering, type GeneratedTendering, type TenderingSetOptions } from "./generate-tendering";
import { DEMO_AGREEMENTS, SOUTH_WEST_DISTRICTS, areaOf, type Area, type Focus } from "./demo-data";
import { HomePlanner, type PlannedHome } from "./fabricate";
import { generateMarket, type MarketSet, type MarketSetOptions } from "./generate-market";
import { SeededRandom } from "./random";

export interface DataSetOptions {
  /** The same seed (and options) always gives the same names, numbers and counts. */
  seed: number | string;
  /** Default 5. With two or more they form one consortium. */
  councils?: number;
  /** Default 30. */
  providers?: number;
  /** A fixed number, or [min, max] chosen per provider. Default [1, 6]. */
  homesPerProvider?: number | readonly [number, number];
  /** Provider users per provider, all with `password`. Default 1. */
  usersPerProvider?: number;
  /** Council staff per council, roles taken in turn (officer, evaluator, chief officer, portfolio holder, administrator). Default 0. */
  usersPerCouncil?: number;
  /** Create the four kinds of agreement, led by the first council. Default true. */
  agreements?: boolean;
  /** Record Ofsted judgements for registered homes. Default true. */
  judgements?: boolean;
  /** Default: the demo password. Hashed once and shared, so thousands of users take no longer than one. */
  password?: string;
  /** Rows per transaction and per multi-row insert. Default 500. */
  batchSize?: number;
  /**
   * "each" (default): every home, judgement and user gets the event its module
   * writes, so the trail is the size a real portal's would be. "batch": one
   * "seed.*_generated" event per batch, for very large sets where only speed matters.
   */
  audit?: "each" | "batch";
  /** Tenders and bids on the generated agreements (generate-tendering.ts): off unless asked for. */
  tendering?: false | Omit<TenderingSetOptions, "seed">;
  /** Also the placements market at scale (db/seed/generate-market.ts). Default: none. */
  market?: MarketSetOptions;
}

export interface GeneratedDataSet {
  councils: { id: string; name: string }[];
  consortiumId: string | null;
  agreements: { id: string; reference: string; lotIds: string[] }[];
  providers: { id: string; name: string }[];
  homes: { id: string; organisationId: string; name: string }[];
  judgements: number;
  users: { id: string; email: string; role: Role; organisationId: string }[];
  password: string;
  /** What the tendering generator made, when asked for. */
  tendering: GeneratedTendering | null;
  /** Audit events written by this run. */
  auditEvents: number;
  /** What the market generator added, when asked for. */
  market?: MarketSet;
  elapsedMs: number;
}

const COUNCIL_STEMS = [
  "Ashcombe", "Brackenford", "Carnwith", "Dunstone", "Elmbury", "Fenwick Vale", "Greymouth", "Hollowmere", "Ivybourne",
  "Kingsmoor", "Lowenna", "Marlcombe", "Northcombe", "Oxleigh", "Pendarrow", "Quarrybank", "Rosemullion", "Stannary",
  "Thornleigh", "Umberdale", "Valecombe", "Wrenmouth", "Yarnford", "Zennor Vale",
] as const;
const COUNCIL_TYPES = ["County Council", "City Council", "Borough Council", "Council"] as const;
const COUNCIL_QUALIFIERS = ["", "North", "South", "East", "West", "Upper", "Lower", "Greater"] as const;

const PROVIDER_WORDS = [
  "Acorn", "Bay Tree", "Birchwood", "Blue Harbour", "Bridgeway", "Brookside", "Castlebrook", "Cherry Orchard", "Clifftop",
  "Coastline", "Cornflower", "Dawn Chorus", "Evergreen", "Fairhaven", "Fernlea", "Firefly", "Gatehouse", "Golden Sands",
  "Greenacre", "Headland", "Hearthstone", "Highfield", "Horizon", "Keystone", "Lanterns", "Lifeboat", "Little Oaks",
  "Longmeadow", "Millstream", "Moorside", "New Leaf", "Northstar", "Oakleaf", "Pebblebeach", "Pinewood", "Quayside",
  "Riverbank", "Rockpool", "Sandbanks", "Seabreeze", "Silverdale", "Springwell", "Stoneleigh", "Sunrise", "Tidewater",
  "Treetops", "Waymark", "Westward", "Whitecliff", "Woodland",
] as const;
const PROVIDER_KINDS = [
  "Care", "Children's Homes", "Children's Services", "Care Group", "Homes", "Futures", "Pathways", "Residential Care",
  "Supported Living", "Therapeutic Care", "Family Services", "Youth Housing", "Care Partnership", "Young People's Services",
] as const;
const LEGAL_FORMS = [
  ["Ltd", 12],
  ["CIC", 2],
  ["Trust", 1],
] as const;
const STREETS = [
  "Fore Street", "High Street", "Quay Road", "Station Road", "Church Lane", "Mill Lane", "Harbour Road", "Victoria Road",
  "Market Street", "Chapel Street", "Bridge Street", "Park Road", "Trelawney Road", "Moor Lane", "Orchard Way",
] as const;
const BASES = [
  ["Exeter", "EX2"], ["Plymouth", "PL4"], ["Truro", "TR1"], ["Torquay", "TQ2"], ["Barnstaple", "EX31"], ["Newquay", "TR7"],
  ["Paignton", "TQ4"], ["Bodmin", "PL31"], ["Tiverton", "EX16"], ["Falmouth", "TR11"], ["Exmouth", "EX8"],
  ["Newton Abbot", "TQ12"], ["Penzance", "TR18"], ["Tavistock", "PL19"], ["Bideford", "EX39"], ["St Austell", "PL25"],
] as const;
const FIRST_NAMES = [
  "Amara", "Ben", "Chloe", "Dev", "Ellie", "Finn", "Grace", "Harvey", "Isla", "Jack", "Kiran", "Lily", "Mo", "Nia",
  "Oscar", "Poppy", "Ravi", "Sophie", "Theo", "Zara",
] as const;
const SURNAMES = [
  "Ahmed", "Bennett", "Chapman", "Davies", "Edwards", "Foster", "Green", "Hughes", "Iqbal", "Jenkins", "Kowalski",
  "Lewis", "Mitchell", "Nowak", "Osei", "Pascoe", "Quinn", "Roberts", "Trewin", "Williams",
] as const;
const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

registerAuditActions({
  "seed.homes_generated": "Generated test homes",
  "seed.users_generated": "Generated test users",
});
const ALL_AREAS: Area[] = ["east", "north", "plymouth", "torbay", "cornwall"];

interface PlannedProvider {
  details: OrganisationDetails;
  slug: string;
  homes: PlannedHome[];
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function councilNames(count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const stem = COUNCIL_STEMS[i % COUNCIL_STEMS.length] as string;
    const qualifier = COUNCIL_QUALIFIERS[Math.floor(i / COUNCIL_STEMS.length) % COUNCIL_QUALIFIERS.length] ?? "";
    const round = Math.floor(i / (COUNCIL_STEMS.length * COUNCIL_QUALIFIERS.length));
    const type = COUNCIL_TYPES[i % COUNCIL_TYPES.length] as string;
    names.push([stem, qualifier, round > 0 ? String(round + 1) : "", type].filter(Boolean).join(" "));
  }
  return names;
}

function planProviders(rng: SeededRandom, count: number, homesPerProvider: number | readonly [number, number]): PlannedProvider[] {
  const pairs = rng.shuffle(PROVIDER_WORDS.flatMap((word) => PROVIDER_KINDS.map((kind) => `${word} ${kind}`)));
  const numbers = new Set<string>();
  const planner = new HomePlanner(rng);
  const providers: PlannedProvider[] = [];
  for (let i = 0; i < count; i++) {
    const pair = pairs[i % pairs.length] as string;
    const round = Math.floor(i / pairs.length);
    const form = rng.weighted(LEGAL_FORMS);
    const name = `${pair}${round > 0 ? ` ${round + 1}` : ""} ${form}`;
    let companiesHouseNumber: string | null = null;
    while (companiesHouseNumber === null || numbers.has(companiesHouseNumber)) {
      companiesHouseNumber = rng.chance(0.06) ? `SC${rng.digits(6)}` : `${rng.pick(["0", "1"])}${rng.digits(7)}`;
    }
    numbers.add(companiesHouseNumber);
    const charityNumber = form === "Trust" || rng.chance(0.1) ? `11${rng.digits(5)}` : null;
    const [town, district] = rng.pick(BASES);
    const focus = rng.weighted<Focus>([
      ["residential", 6],
      ["supported", 2],
      ["short_breaks", 1],
      ["mixed", 2],
    ]);
    const home = areaOf(district);
    const areas: Area[] = rng.chance(0.4) ? [home, rng.pick(ALL_AREAS)] : [home];
    const homeCount = typeof homesPerProvider === "number" ? homesPerProvider : rng.int(homesPerProvider[0], homesPerProvider[1]);
    const homes: PlannedHome[] = [];
    for (let h = 0; h < homeCount; h++) homes.push(planner.plan(focus, areas));
    providers.push({
      details: {
        name,
        companiesHouseNumber,
        charityNumber,
        addressLine1: `${rng.int(1, 120)} ${rng.pick(STREETS)}`,
        town,
        postcode: `${district} ${rng.int(1, 9)}${rng.pick([...INWARD_LETTERS])}${rng.pick([...INWARD_LETTERS])}`,
      },
      slug: slugify(name),
      homes,
    });
  }
  return providers;
}

/**
 * Builds a data set into `db` (normally an empty one). Councils, the
 * consortium, agreements and providers go through the modules; homes,
 * judgements and users are multi-row inserts checked by the same rules, and
 * every one still gets its own audit event (unless `audit: "batch"`), so the
 * trail verifies and has the size a real portal's would. About 10 s for
 * 3,000 homes, 3,900 judgements and 650 users; about 1.5 s with "batch".
 */
export async function generateDataSet(db: Kysely<Database>, options: DataSetOptions): Promise<GeneratedDataSet> {
  const started = Date.now();
  const rng = new SeededRandom(options.seed);
  const councilCount = options.councils ?? 5;
  const providerCount = options.providers ?? 30;
  const usersPerProvider = options.usersPerProvider ?? 1;
  const usersPerCouncil = options.usersPerCouncil ?? 0;
  const batchSize = options.batchSize ?? 500;
  const auditEach = (options.audit ?? "each") === "each";
  const password = options.password ?? DEMO_PASSWORD;
  const problem = passwordProblem(password);
  if (problem) throw new Error(`The data set password is not acceptable: ${problem}`);
  const ctx = (step: string) => systemContext(`seed:generate:${String(options.seed)}:${step}`);
  const headBefore = await auditHead(db);

  // Everything random is decided before anything is written, so the plan depends only on the seed.
  const plannedCouncils = councilNames(councilCount).map((name) => {
    const [town, district] = rng.pick(BASES);
    return {
      name,
      addressLine1: `${rng.int(1, 60)} ${rng.pick(STREETS)}`,
      town,
      postcode: `${district} ${rng.int(1, 9)}${rng.pick([...INWARD_LETTERS])}${rng.pick([...INWARD_LETTERS])}`,
    };
  });
  const plannedProviders = planProviders(rng, providerCount, options.homesPerProvider ?? [1, 6]);
  const personName = () => `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
  const providerPeople = plannedProviders.map(() => Array.from({ length: usersPerProvider }, personName));
  const councilPeople = plannedCouncils.map(() => Array.from({ length: usersPerCouncil }, personName));

  const councils: { id: string; name: string }[] = [];
  let consortiumId: string | null = null;
  const agreements: GeneratedDataSet["agreements"] = [];
  await db.transaction().execute(async (trx) => {
    const c = ctx("councils");
    for (const council of plannedCouncils) councils.push({ ...(await createCouncil(trx, council, c)), name: council.name });
    const lead = councils[0];
    if (!lead) return;
    if (councils.length >= 2) {
      consortiumId = (
        await createConsortium(
          trx,
          {
            name: `${lead.name.split(" ")[0] ?? "Generated"} Placements Consortium`,
            leadCouncilId: lead.id,
            memberCouncilIds: councils.map((x) => x.id),
            joinedOn: "2025-04-01",
          },
          c,
        )
      ).id;
    }
    if (options.agreements ?? true) {
      for (const template of DEMO_AGREEMENTS) {
        const reference = template.reference.replace(/^[A-Z]+/, "GEN");
        const created = await createAgreement(
          trx,
          {
            reference,
            kind: template.kind,
            title: template.title,
            description: template.description,
            consortiumId,
            leadCouncilId: lead.id,
            participatingCouncilIds: councils.map((x) => x.id),
            termStart: template.termStart,
            termEnd: template.termEnd,
            estimatedValuePence: template.estimatedValuePence,
            lots: template.lots,
          },
          c,
        );
        agreements.push({ id: created.id, reference, lotIds: created.lotIds });
      }
    }
  });

  const providers: { id: string; name: string }[] = [];
  for (const batch of chunks(plannedProviders, batchSize)) {
    await db.transaction().execute(async (trx) => {
      const c = ctx("providers");
      for (const provider of batch) {
        const { id } = await createProvider(trx, provider.details, c);
        providers.push({ id, name: provider.details.name });
      }
    });
  }

  const homes: GeneratedDataSet["homes"] = [];
  let judgements = 0;
  const plannedHomes = plannedProviders.flatMap((provider, p) =>
    provider.homes.map((home) => ({ provider: providers[p] as { id: string; name: string }, home })),
  );
  for (const batch of chunks(plannedHomes, batchSize)) {
    await db.transaction().execute(async (trx) => {
      const c = ctx("homes");
      const checked = batch.map(({ provider, home }) => checkHomeDetails({ organisationId: provider.id, ...home }));
      const rows = await trx
        .insertInto("home")
        .values(
          checked.map((home) => ({
            organisation_id: home.organisationId,
            name: home.name,
            service_type: home.serviceType,
            ofsted_urn: home.ofstedUrn,
            registered_places: home.registeredPlaces,
            postcode_district: home.postcodeDistrict,
            latitude: home.latitude,
            longitude: home.longitude,
            created_at: c.now,
            updated_at: c.now,
          })),
        )
        .returning(["id", "organisation_id", "name"])
        .execute();
      // Matched by provider and name (unique in a plan), not by trusting RETURNING's order.
      const idOf = new Map(rows.map((r) => [`${r.organisation_id}\u0000${r.name}`, r.id]));
      const judgementRows: { home_id: string; inspected_on: string; grade: number; recorded_at: Date }[] = [];
      const judgementEvents: Parameters<typeof judgementRecordedEvent>[] = [];
      for (const [i, home] of checked.entries()) {
        const planned = batch[i];
        const id = idOf.get(`${home.organisationId}\u0000${home.name}`);
        if (!planned || !id) throw new Error(`Home ${home.name} was not inserted`);
        homes.push({ id, organisationId: home.organisationId, name: home.name });
        if (auditEach) await recordAuditEvent(trx, c, homeCreatedEvent(id, home, planned.provider.name));
        if (options.judgements === false) continue;
        let previous: { inspectedOn: string; grade: OfstedGrade } | null = null;
        for (const judgement of planned.home.judgements) {
          judgementRows.push({ home_id: id, inspected_on: judgement.inspectedOn, grade: judgement.grade, recorded_at: c.now });
          judgementEvents.push([
            { id, name: home.name, organisationId: home.organisationId, providerName: planned.provider.name },
            { ...judgement, previous },
          ]);
          previous = judgement;
        }
      }
      if (judgementRows.length > 0) await trx.insertInto("ofsted_judgement").values(judgementRows).execute();
      if (auditEach) {
        for (const args of judgementEvents) await recordAuditEvent(trx, c, judgementRecordedEvent(...args));
      } else {
        await recordAuditEvent(trx, c, {
          action: "seed.homes_generated",
          summary: `Generated ${checked.length} homes with ${judgementRows.length} Ofsted judgements as test data (seed ${String(options.seed)})`,
          subjects: rows.map((r) => ({ type: "home", id: r.id })),
        });
      }
      judgements += judgementRows.length;
    });
  }

  const users: GeneratedDataSet["users"] = [];
  const plannedUsers: { organisationId: string; organisationName: string; email: string; fullName: string; role: Role }[] = [];
  plannedProviders.forEach((provider, p) => {
    const org = providers[p];
    if (!org) return;
    (providerPeople[p] ?? []).forEach((fullName, u) =>
      plannedUsers.push({ organisationId: org.id, organisationName: org.name, email: `user${u + 1}@${provider.slug}.example`, fullName, role: "provider_user" }),
    );
  });
  const councilRoles: Role[] = ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"];
  councils.forEach((council, k) => {
    (councilPeople[k] ?? []).forEach((fullName, u) => {
      const role = councilRoles[u % councilRoles.length] as Role;
      plannedUsers.push({
        organisationId: council.id,
        organisationName: council.name,
        email: `${role.replace(/_/g, ".")}${u + 1}@${slugify(council.name)}.example`,
        fullName,
        role,
      });
    });
  });
  if (plannedUsers.length > 0) {
    const passwordHash = await hashPassword(password);
    for (const batch of chunks(plannedUsers, batchSize)) {
      await db.transaction().execute((trx) => insertUsers(trx, batch, passwordHash, ctx("users"), users, auditEach));
    }
  }

  const tendering = options.tendering ? await generateTendering(db, { ...options.tendering, seed: options.seed }) : null;
  const base = { tendering, councils, consortiumId, agreements, providers, homes, judgements, users, password, auditEvents: 0, elapsedMs: 0 };
  const market = options.market ? await generateMarket(db, base, { ...options.market, seed: options.seed }) : undefined;
  const headAfter = await auditHead(db);
  return {
    tendering,
    councils,
    consortiumId,
    agreements,
    providers,
    homes,
    judgements,
    users,
    password,
    market,
    auditEvents: headAfter - headBefore,
    elapsedMs: Date.now() - started,
  };
}

async function insertUsers(
  trx: Trx,
  batch: { organisationId: string; organisationName: string; email: string; fullName: string; role: Role }[],
  passwordHash: string,
  ctx: ReturnType<typeof systemContext>,
  out: GeneratedDataSet["users"],
  auditEach: boolean,
) {
  const kinds = new Map(
    (
      await trx
        .selectFrom("organisation")
        .select(["id", "kind"])
        .where("id", "in", [...new Set(batch.map((u) => u.organisationId))])
        .execute()
    ).map((o) => [o.id, o.kind]),
  );
  for (const user of batch) {
    const kind = kinds.get(user.organisationId);
    if (!kind || !rolesFor(kind).includes(user.role)) throw new Error(`${user.role} does not fit ${user.organisationName}`);
  }
  const rows = await trx
    .insertInto("app_user")
    .values(
      batch.map((u) => ({
        organisation_id: u.organisationId,
        email: u.email,
        full_name: u.fullName,
        password_hash: passwordHash,
        status: "active" as const,
        created_at: ctx.now,
        updated_at: ctx.now,
      })),
    )
    .returning(["id", "email"])
    .execute();
  const idOf = new Map(rows.map((r) => [r.email, r.id]));
  const withIds = batch.map((u) => {
    const id = idOf.get(u.email);
    if (!id) throw new Error(`User ${u.email} was not inserted`);
    return { ...u, id };
  });
  await trx
    .insertInto("user_role")
    .values(withIds.map((u) => ({ user_id: u.id, role: u.role, granted_at: ctx.now })))
    .execute();
  if (!auditEach) {
    await recordAuditEvent(trx, ctx, {
      action: "seed.users_generated",
      summary: `Generated ${withIds.length} user accounts as test data`,
      subjects: withIds.map((u) => ({ type: "user", id: u.id })),
    });
  }
  for (const u of withIds) {
    out.push({ id: u.id, email: u.email, role: u.role, organisationId: u.organisationId });
    if (!auditEach) continue;
    // The same event createActiveUser writes (app/modules/identity/users.ts).
    await recordAuditEvent(trx, ctx, {
      action: "user.created",
      summary: `Created account for ${u.fullName} (${u.email}) at ${u.organisationName} as ${roleList([u.role])}`,
      subjects: [
        { type: "user", id: u.id },
        { type: "organisation", id: u.organisationId },
      ],
      after: { email: u.email, fullName: u.fullName, organisationId: u.organisationId, roles: [u.role], status: "active" },
    });
  }
}

async function auditHead(db: Kysely<Database>): Promise<number> {
  const head = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirst();
  return head?.seq ?? 0;
}

/** Every district the generator may place a home in, for benchmarks that search by distance. */
export const GENERATED_DISTRICTS = SOUTH_WEST_DISTRICTS.map(([district]) => district);
