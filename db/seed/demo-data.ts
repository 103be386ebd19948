// The fixed content of the demo: fictional councils, providers, agreements
// and people, and the South West postcode districts homes are placed in.
// Every name and number here is invented; none is a real council or company.
import type { AgreementKind, Role } from "#app/database/schema";

export const DEMO_CONSORTIUM = {
  name: "South West Peninsula Placements Consortium",
  joinedOn: "2025-04-01",
};

export type CouncilKey = "westmoor" | "tamarmouth" | "lyonesse" | "dartvale" | "quantock";

export interface DemoCouncil {
  key: CouncilKey;
  name: string;
  addressLine1: string;
  town: string;
  postcode: string;
}

/** The lead council comes first. */
export const DEMO_COUNCILS: DemoCouncil[] = [
  { key: "westmoor", name: "Westmoor County Council", addressLine1: "Moorview House, Ridgeway Road", town: "Exeter", postcode: "EX2 4QD" },
  { key: "tamarmouth", name: "Tamarmouth City Council", addressLine1: "Civic Offices, 1 Armada Row", town: "Plymouth", postcode: "PL1 2XE" },
  { key: "lyonesse", name: "Lyonesse Council", addressLine1: "Kernow House, Lemon Quay", town: "Truro", postcode: "TR1 3FZ" },
  { key: "dartvale", name: "Dartvale Borough Council", addressLine1: "Dartvale House, 12 Union Parade", town: "Torquay", postcode: "TQ1 3DW" },
  { key: "quantock", name: "Quantock Vale Council", addressLine1: "Deane Court, 40 Tone Street", town: "Taunton", postcode: "TA1 1HE" },
];

/** Broad areas of the peninsula, so a provider's homes cluster near its base. */
export type Area = "east" | "north" | "plymouth" | "torbay" | "cornwall";
/** residential: mostly children's homes; supported: supported accommodation; mixed: some of each kind. */
export type Focus = "residential" | "supported" | "short_breaks" | "mixed";

export interface DemoProvider {
  name: string;
  /** For the email domain of its demo user: provider@<slug>.example. */
  slug: string;
  companiesHouseNumber: string | null;
  charityNumber: string | null;
  addressLine1: string;
  town: string;
  postcode: string;
  homes: number;
  focus: Focus;
  areas: Area[];
}

// prettier-ignore
export const DEMO_PROVIDERS: DemoProvider[] = [
  { name: "Harbour Light Children's Homes Ltd", slug: "harbour-light", companiesHouseNumber: "09876543", charityNumber: null, addressLine1: "14 Sutton Wharf", town: "Plymouth", postcode: "PL4 0DW", homes: 8, focus: "residential", areas: ["plymouth", "cornwall"] },
  { name: "Moorland Care Group Ltd", slug: "moorland-care", companiesHouseNumber: "08123457", charityNumber: null, addressLine1: "Granite House, 3 Fore Street", town: "Okehampton", postcode: "EX20 1AH", homes: 7, focus: "residential", areas: ["east", "north"] },
  { name: "Tamar Valley Residential Care Ltd", slug: "tamar-valley", companiesHouseNumber: "07345128", charityNumber: null, addressLine1: "The Old Dairy, Bere Road", town: "Tavistock", postcode: "PL19 8JT", homes: 5, focus: "residential", areas: ["plymouth", "cornwall"] },
  { name: "Seaglass Children's Trust", slug: "seaglass", companiesHouseNumber: "06234871", charityNumber: "1123456", addressLine1: "2 Boscawen Terrace", town: "Truro", postcode: "TR1 2QX", homes: 4, focus: "mixed", areas: ["cornwall"] },
  { name: "Kestrel House Care Ltd", slug: "kestrel-house", companiesHouseNumber: "10456782", charityNumber: null, addressLine1: "Suite 5, Riverside Court", town: "Exeter", postcode: "EX2 8LB", homes: 3, focus: "residential", areas: ["east"] },
  { name: "Granite Coast Homes Ltd", slug: "granite-coast", companiesHouseNumber: "11238904", charityNumber: null, addressLine1: "7 Chapel Slip", town: "Penzance", postcode: "TR18 4AJ", homes: 4, focus: "residential", areas: ["cornwall"] },
  { name: "Estuary Lane Care Services Ltd", slug: "estuary-lane", companiesHouseNumber: "09123675", charityNumber: null, addressLine1: "21 Estuary Lane", town: "Exmouth", postcode: "EX8 1QE", homes: 3, focus: "supported", areas: ["east"] },
  { name: "Foxglove Family Care CIC", slug: "foxglove", companiesHouseNumber: "12087453", charityNumber: null, addressLine1: "Unit 3, Longbridge Works", town: "Barnstaple", postcode: "EX31 1DN", homes: 3, focus: "residential", areas: ["north"] },
  { name: "Brightwater Therapeutic Care Ltd", slug: "brightwater", companiesHouseNumber: "SC654321", charityNumber: null, addressLine1: "Brightwater House, 9 Babbacombe Rise", town: "Torquay", postcode: "TQ2 5PL", homes: 6, focus: "residential", areas: ["torbay", "east"] },
  { name: "Hillside Pathways Ltd", slug: "hillside-pathways", companiesHouseNumber: "08765012", charityNumber: null, addressLine1: "4 Courtenay Mews", town: "Newton Abbot", postcode: "TQ12 2HG", homes: 4, focus: "supported", areas: ["torbay"] },
  { name: "Lundy View Youth Housing CIO", slug: "lundy-view", companiesHouseNumber: null, charityNumber: "1187654", addressLine1: "The Coach House, Quay Lane", town: "Bideford", postcode: "EX39 2EZ", homes: 3, focus: "supported", areas: ["north"] },
  { name: "Tregenna Care Partnership Ltd", slug: "tregenna", companiesHouseNumber: "10987123", charityNumber: null, addressLine1: "11 Porthmeor Hill", town: "St Ives", postcode: "TR26 1NP", homes: 3, focus: "residential", areas: ["cornwall"] },
  { name: "Oakapple Residential Ltd", slug: "oakapple", companiesHouseNumber: "07654398", charityNumber: null, addressLine1: "Oakapple Barn, Lowman Green", town: "Tiverton", postcode: "EX16 4LA", homes: 4, focus: "residential", areas: ["east"] },
  { name: "Beacon Heights Children's Services Ltd", slug: "beacon-heights", companiesHouseNumber: "09345671", charityNumber: null, addressLine1: "Beacon Court, 30 Tavistock Approach", town: "Plymouth", postcode: "PL6 5WR", homes: 5, focus: "residential", areas: ["plymouth"] },
  { name: "Saltmarsh Care Ltd", slug: "saltmarsh", companiesHouseNumber: "11456023", charityNumber: null, addressLine1: "6 Pill Road", town: "Bideford", postcode: "EX39 4EB", homes: 2, focus: "residential", areas: ["north"] },
  { name: "Clearwater Supported Living Ltd", slug: "clearwater", companiesHouseNumber: "12345098", charityNumber: null, addressLine1: "18 Longbrook Terrace", town: "Exeter", postcode: "EX4 4EW", homes: 5, focus: "supported", areas: ["east", "plymouth"] },
  { name: "Compass Rose Futures Ltd", slug: "compass-rose", companiesHouseNumber: "10765432", charityNumber: null, addressLine1: "3 Arwenack Yard", town: "Falmouth", postcode: "TR11 3JT", homes: 3, focus: "supported", areas: ["cornwall"] },
  { name: "Rivermead Children's Care Ltd", slug: "rivermead", companiesHouseNumber: "08901234", charityNumber: null, addressLine1: "Rivermead, Bridgetown Hill", town: "Totnes", postcode: "TQ9 5BP", homes: 3, focus: "residential", areas: ["torbay"] },
  { name: "Highcliffe Short Breaks Trust", slug: "highcliffe", companiesHouseNumber: "05432189", charityNumber: "1109876", addressLine1: "Highcliffe, 27 Cliff Parade", town: "Paignton", postcode: "TQ4 6LS", homes: 3, focus: "short_breaks", areas: ["torbay", "east"] },
  { name: "Heathfield Lodge Care Ltd", slug: "heathfield-lodge", companiesHouseNumber: "09786512", charityNumber: null, addressLine1: "2 Priory Walk", town: "Bodmin", postcode: "PL31 2DN", homes: 2, focus: "residential", areas: ["cornwall"] },
  { name: "Stepping Stones Supported Housing CIO", slug: "stepping-stones", companiesHouseNumber: null, charityNumber: "1190123", addressLine1: "The Chapel Rooms, Crantock Street", town: "Newquay", postcode: "TR7 1JR", homes: 2, focus: "supported", areas: ["cornwall"] },
  { name: "Larkspur Homes Ltd", slug: "larkspur", companiesHouseNumber: "11876540", charityNumber: null, addressLine1: "5 Dowell Street", town: "Honiton", postcode: "EX14 1LX", homes: 2, focus: "residential", areas: ["east"] },
  { name: "Bluebell Cottage Care Ltd", slug: "bluebell-cottage", companiesHouseNumber: "10293847", charityNumber: null, addressLine1: "Bluebell Cottage, Ridgegrove Lane", town: "Launceston", postcode: "PL15 9QT", homes: 2, focus: "short_breaks", areas: ["cornwall", "plymouth"] },
  { name: "Atlantic Edge Young Persons' Services Ltd", slug: "atlantic-edge", companiesHouseNumber: "12567890", charityNumber: null, addressLine1: "1 Breakwater Road", town: "Bude", postcode: "EX23 8LQ", homes: 3, focus: "mixed", areas: ["north", "cornwall"] },
  { name: "Daymark Care Ltd", slug: "daymark", companiesHouseNumber: "SC543210", charityNumber: null, addressLine1: "The Daymark Office, 8 Victoria Road", town: "Dartmouth", postcode: "TQ6 9RT", homes: 2, focus: "residential", areas: ["torbay"] },
  { name: "Willowbrook Therapeutic Communities Ltd", slug: "willowbrook", companiesHouseNumber: "08564739", charityNumber: "1145678", addressLine1: "Willowbrook, Exhibition Way", town: "Crediton", postcode: "EX17 3BQ", homes: 3, focus: "residential", areas: ["east"] },
  { name: "Polwenna Supported Living Ltd", slug: "polwenna", companiesHouseNumber: "11029384", charityNumber: null, addressLine1: "12 Trevarthian Road", town: "St Austell", postcode: "PL25 4BY", homes: 2, focus: "supported", areas: ["cornwall"] },
  { name: "Redstart Family Services Ltd", slug: "redstart", companiesHouseNumber: "09918273", charityNumber: null, addressLine1: "4 Pig Meadow Lane", town: "Liskeard", postcode: "PL14 3HR", homes: 1, focus: "residential", areas: ["cornwall"] },
  { name: "Kingfisher Care Partnerships Ltd", slug: "kingfisher", companiesHouseNumber: "10564738", charityNumber: null, addressLine1: "Kingfisher House, 2 Mill Street", town: "Kingsbridge", postcode: "TQ7 1ED", homes: 2, focus: "mixed", areas: ["torbay", "plymouth"] },
  { name: "Lighthouse Keepers Short Breaks CIC", slug: "lighthouse-keepers", companiesHouseNumber: "12908172", charityNumber: null, addressLine1: "The Lamp Room, Capstone Parade", town: "Ilfracombe", postcode: "EX34 9BX", homes: 1, focus: "short_breaks", areas: ["north"] },
];

export interface DemoUser {
  role: Role;
  fullName: string;
  email: string;
  /** A council key, or a provider slug. */
  organisation: { council: CouncilKey } | { provider: string };
}

export const DEMO_USERS: DemoUser[] = [
  { role: "administrator", fullName: "Alex Morgan", email: "admin@westmoor.example", organisation: { council: "westmoor" } },
  { role: "commissioning_officer", fullName: "Priya Shah", email: "officer@westmoor.example", organisation: { council: "westmoor" } },
  // Opening bids takes two commissioning officers (decision 020).
  { role: "commissioning_officer", fullName: "Dan Whitfield", email: "officer2@westmoor.example", organisation: { council: "westmoor" } },
  { role: "evaluator", fullName: "Tom Evans", email: "evaluator@westmoor.example", organisation: { council: "westmoor" } },
  { role: "chief_officer", fullName: "Helen Carter", email: "chief.officer@westmoor.example", organisation: { council: "westmoor" } },
  { role: "portfolio_holder", fullName: "Cllr Rhys Pengelly", email: "portfolio.holder@westmoor.example", organisation: { council: "westmoor" } },
  { role: "provider_user", fullName: "Jo Bennett", email: "provider@harbour-light.example", organisation: { provider: "harbour-light" } },
  { role: "provider_user", fullName: "Sam Okafor", email: "provider@moorland-care.example", organisation: { provider: "moorland-care" } },
];

/** Whole pounds to pence. */
const pounds = (amount: number) => amount * 100;

export interface DemoAgreement {
  reference: string;
  kind: AgreementKind;
  title: string;
  description: string;
  /** Run through the consortium, or by the lead council alone. */
  viaConsortium: boolean;
  participating: CouncilKey[];
  termStart: string;
  termEnd: string;
  estimatedValuePence: number;
  lots: { number: number; title: string; description: string; estimatedValuePence: number }[];
}

export const DEMO_AGREEMENTS: DemoAgreement[] = [
  {
    reference: "SWPPC-RES-2027",
    kind: "residential_framework",
    title: "Residential children's homes framework 2027 to 2031",
    description:
      "An open framework for placements in Ofsted-registered children's homes, called off per child. Westmoor, as lead member, expects to spend about £12 million a year through it.",
    viaConsortium: true,
    participating: ["westmoor", "tamarmouth", "lyonesse", "dartvale", "quantock"],
    termStart: "2027-04-01",
    termEnd: "2031-03-31",
    estimatedValuePence: pounds(48_000_000),
    lots: [
      { number: 1, title: "Standard residential", description: "Children and young people aged 8 to 17 with emotional and behavioural needs.", estimatedValuePence: pounds(24_000_000) },
      { number: 2, title: "Complex needs and therapeutic", description: "Solo and small-group homes with therapeutic input for children with complex needs, including learning disability and autism.", estimatedValuePence: pounds(14_400_000) },
      { number: 3, title: "Parent and child", description: "Residential assessment and support for a parent and their child.", estimatedValuePence: pounds(4_800_000) },
      { number: 4, title: "Short-term and crisis", description: "Placements at short notice, for up to 12 weeks, while a longer-term home is found.", estimatedValuePence: pounds(4_800_000) },
    ],
  },
  {
    reference: "SWPPC-SL-2027",
    kind: "supported_living_framework",
    title: "Supported living options framework (16+) 2027 to 2031",
    description:
      "Accommodation and support for young people aged 16 and over who are in care or leaving care, priced as an hourly support rate and a weekly accommodation charge.",
    viaConsortium: true,
    participating: ["westmoor", "tamarmouth", "lyonesse", "dartvale", "quantock"],
    termStart: "2027-07-01",
    termEnd: "2031-06-30",
    estimatedValuePence: pounds(14_000_000),
    lots: [
      { number: 1, title: "Higher support (more than 15 hours a week), whole area", description: "Shared or solo accommodation with staff on site day and night.", estimatedValuePence: pounds(5_000_000) },
      { number: 2, title: "Medium support (6 to 15 hours a week), Westmoor and Quantock Vale", description: "Shared houses and flats with floating support in the east and north of the peninsula.", estimatedValuePence: pounds(3_500_000) },
      { number: 3, title: "Medium support (6 to 15 hours a week), Tamarmouth and Lyonesse", description: "Shared houses and flats with floating support in the west of the peninsula.", estimatedValuePence: pounds(3_500_000) },
      { number: 4, title: "Lower support (up to 5 hours a week) and move-on", description: "Self-contained flats for young people preparing to live independently.", estimatedValuePence: pounds(2_000_000) },
    ],
  },
  {
    reference: "WCC-BLOCK-2026",
    kind: "residential_block",
    title: "Residential block contract: 12 beds in Westmoor",
    description:
      "A fixed number of beds in named homes within Westmoor, paid for whether used or not. Westmoor must keep the beds full: an empty bed is money lost.",
    viaConsortium: false,
    participating: ["westmoor"],
    termStart: "2026-10-01",
    termEnd: "2031-09-30",
    estimatedValuePence: pounds(10_800_000),
    lots: [
      { number: 1, title: "Eight beds in two four-bed homes, east Westmoor", description: "Two homes of four beds each within 20 miles of Exeter.", estimatedValuePence: pounds(7_200_000) },
      { number: 2, title: "Four beds for children with complex needs", description: "Two solo and one two-bed home with enhanced staffing.", estimatedValuePence: pounds(3_600_000) },
    ],
  },
  {
    reference: "SWPPC-SB-2027",
    kind: "short_breaks",
    title: "Residential short breaks for disabled children 2027 to 2032",
    description:
      "Overnight short breaks for disabled children, booked as nights, co-funded with the Peninsula Integrated Care Board.",
    viaConsortium: true,
    participating: ["westmoor", "dartvale", "tamarmouth"],
    termStart: "2027-01-01",
    termEnd: "2031-12-31",
    estimatedValuePence: pounds(6_500_000),
    lots: [
      { number: 1, title: "Short breaks, east (Westmoor and Dartvale)", description: "At least 1,500 nights a year across two homes.", estimatedValuePence: pounds(3_900_000) },
      { number: 2, title: "Short breaks, west (Tamarmouth)", description: "At least 1,000 nights a year in one home.", estimatedValuePence: pounds(2_600_000) },
    ],
  },
];

/** Postcode district, latitude and longitude of its centroid (from ../shared/geo/uk-outcodes.csv, rounded). */
// prettier-ignore
export const SOUTH_WEST_DISTRICTS: readonly (readonly [string, number, number])[] = [
  ["EX1", 50.7254, -3.5048], ["EX2", 50.7100, -3.5170], ["EX3", 50.6865, -3.4582], ["EX4", 50.7306, -3.5262],
  ["EX5", 50.7568, -3.4392], ["EX6", 50.6774, -3.5967], ["EX7", 50.5918, -3.4723], ["EX8", 50.6296, -3.4013],
  ["EX9", 50.6386, -3.3224], ["EX10", 50.6925, -3.2446], ["EX11", 50.7460, -3.2871], ["EX12", 50.7058, -3.0807],
  ["EX13", 50.7865, -3.0073], ["EX14", 50.8127, -3.1896], ["EX15", 50.8768, -3.3391], ["EX16", 50.9226, -3.4912],
  ["EX17", 50.8118, -3.7020], ["EX18", 50.9016, -3.8874], ["EX19", 50.8771, -4.0044], ["EX20", 50.7500, -4.0188],
  ["EX21", 50.8051, -4.2086], ["EX22", 50.8280, -4.3673], ["EX23", 50.8237, -4.5332], ["EX24", 50.7382, -3.0885],
  ["EX31", 51.0857, -4.0634], ["EX32", 51.0712, -4.0185], ["EX33", 51.1134, -4.1689], ["EX34", 51.1983, -4.1028],
  ["EX35", 51.2236, -3.8275], ["EX36", 51.0164, -3.7922], ["EX37", 50.9787, -3.9518], ["EX38", 50.9438, -4.1511],
  ["EX39", 51.0139, -4.2456], ["PL1", 50.3707, -4.1532], ["PL2", 50.3886, -4.1624], ["PL3", 50.3874, -4.1258],
  ["PL4", 50.3748, -4.1280], ["PL5", 50.4101, -4.1662], ["PL6", 50.4173, -4.1159], ["PL7", 50.3916, -4.0444],
  ["PL8", 50.3355, -4.0124], ["PL9", 50.3539, -4.0877], ["PL10", 50.3454, -4.2111], ["PL11", 50.3725, -4.2503],
  ["PL12", 50.4193, -4.2483], ["PL13", 50.3571, -4.4746], ["PL14", 50.4635, -4.4646], ["PL15", 50.6322, -4.3999],
  ["PL16", 50.6456, -4.2676], ["PL17", 50.5162, -4.3051], ["PL18", 50.5152, -4.2190], ["PL19", 50.5560, -4.1545],
  ["PL20", 50.5012, -4.0999], ["PL21", 50.3857, -3.9175], ["PL22", 50.4027, -4.6515], ["PL23", 50.3365, -4.6351],
  ["PL24", 50.3546, -4.7092], ["PL25", 50.3404, -4.7787], ["PL26", 50.3420, -4.8252], ["PL27", 50.5225, -4.8741],
  ["PL28", 50.5337, -4.9665], ["PL29", 50.5856, -4.8299], ["PL30", 50.4999, -4.7274], ["PL31", 50.4686, -4.7214],
  ["PL32", 50.6328, -4.6601], ["PL33", 50.6213, -4.7302], ["PL34", 50.6597, -4.7423], ["PL35", 50.6844, -4.6843],
  ["TQ1", 50.4716, -3.5221], ["TQ2", 50.4740, -3.5433], ["TQ3", 50.4430, -3.5747], ["TQ4", 50.4233, -3.5698],
  ["TQ5", 50.3915, -3.5223], ["TQ6", 50.3466, -3.5884], ["TQ7", 50.2826, -3.7828], ["TQ8", 50.2369, -3.7713],
  ["TQ9", 50.4162, -3.6892], ["TQ10", 50.4241, -3.8191], ["TQ11", 50.4814, -3.7818], ["TQ12", 50.5288, -3.6114],
  ["TQ13", 50.5930, -3.7182], ["TQ14", 50.5500, -3.5063], ["TR1", 50.2624, -5.0535], ["TR2", 50.2533, -4.9519],
  ["TR3", 50.2168, -5.1094], ["TR4", 50.2836, -5.1363], ["TR5", 50.3082, -5.1913], ["TR6", 50.3417, -5.1513],
  ["TR7", 50.4130, -5.0730], ["TR8", 50.3987, -5.0369], ["TR9", 50.4139, -4.9365], ["TR10", 50.1662, -5.1174],
  ["TR11", 50.1491, -5.0868], ["TR12", 50.0431, -5.1792], ["TR13", 50.1095, -5.2843], ["TR14", 50.2099, -5.2969],
  ["TR15", 50.2323, -5.2367], ["TR16", 50.2327, -5.2199], ["TR17", 50.1248, -5.4673], ["TR18", 50.1163, -5.5409],
  ["TR19", 50.1001, -5.6278], ["TR20", 50.1314, -5.4888], ["TR26", 50.2028, -5.4786], ["TR27", 50.1816, -5.4028],
];

export function areaOf(district: string): Area {
  const match = /^([A-Z]+)([0-9]+)$/.exec(district);
  const letters = match?.[1] ?? "";
  const n = Number(match?.[2] ?? 0);
  if (letters === "TQ") return "torbay";
  if (letters === "TR") return "cornwall";
  if (letters === "EX") return (n >= 18 && n <= 23) || n >= 31 ? "north" : "east";
  return n <= 9 || (n >= 19 && n <= 21) ? "plymouth" : "cornwall";
}

export const DISTRICTS_BY_AREA: Record<Area, (readonly [string, number, number])[]> = {
  east: [],
  north: [],
  plymouth: [],
  torbay: [],
  cornwall: [],
};
for (const district of SOUTH_WEST_DISTRICTS) DISTRICTS_BY_AREA[areaOf(district[0])].push(district);

/** First words of home names, e.g. "Heather" in "Heather Lodge". */
export const HOME_NAME_WORDS = [
  "Heather", "Willow", "Kestrel", "Beacon", "Foxglove", "Granite", "Estuary", "Harbour", "Meadow", "Orchard",
  "Rowan", "Bracken", "Curlew", "Tamar", "Samphire", "Gorse", "Heron", "Otter", "Lantern", "Skylark",
  "Driftwood", "Primrose", "Chestnut", "Holly", "Brook", "Ashcombe", "Penrose", "Trevean", "Combe", "Linhay",
  "Mill", "Quarry", "Seaview", "Starfish", "Wren", "Bramble", "Cedar", "Hawthorn", "Thistle", "Puffin",
  "Clover", "Juniper", "Mariner", "Chough", "Sandpiper", "Elder", "Copper", "Saltash", "Larch", "Fernbrook",
] as const;

export const HOME_NAME_ENDINGS = {
  childrens_home: ["House", "Lodge", "Cottage", "Farmhouse", "View", "Barn", "Rise", "Grange"],
  supported_living: ["Court", "Place", "Mews", "Yard", "Terrace"],
  short_breaks: ["Short Breaks House", "Short Breaks Centre"],
} as const;

/**
 * The demo's tenders: the residential framework open for bids (its deadline
 * three weeks after the seed runs) and a supported living tender still in
 * draft. Days are counted from the day the seed runs, in UK time.
 */
export const DEMO_TENDERS = {
  residential: {
    agreementReference: "SWPPC-RES-2027",
    title: "Residential children's homes framework 2027 to 2031: call for providers",
    summary:
      "The consortium's five councils seek Ofsted-registered children's homes for placements called off per child, in four lots. " +
      "Providers may bid for one or more lots. Prices are weekly fees per placement by need band.",
    lotNumbers: [1, 2],
    timeline: { clarificationDays: 14, submissionDays: 21, awardDays: 42, contractStartDays: 60 },
    sections: [
      {
        title: "Eligibility",
        questions: [
          { kind: "pass_fail", question: "Is each home you offer registered with Ofsted as a children's home?", evidenceRequired: "The Ofsted registration certificate of each home" },
          { kind: "pass_fail", question: "Do you hold employer's liability, public liability and professional indemnity insurance?", evidenceRequired: "Current insurance certificates showing the cover and expiry dates" },
        ],
      },
      {
        title: "Quality",
        questions: [
          {
            kind: "quality",
            question: "How do you keep children safe, in the home and online?",
            guidance: "Describe your safeguarding policy in practice: recruitment, training, supervision, missing-from-home protocols and working with the local safeguarding partnership.",
            wordLimit: 750,
            minimumScore: 2,
            weights: [35, 30],
          },
          {
            kind: "quality",
            question: "How do you help children settle, stay in education and keep in touch with the people who matter to them?",
            guidance: "Give examples from the last two years, with outcomes.",
            wordLimit: 750,
            minimumScore: 2,
            weights: [25, 30],
          },
        ],
      },
      { title: "Declarations", questions: [{ kind: "declaration", question: "I confirm that the information in this bid is true and complete." }] },
    ],
    /** Per lot, in lotNumbers' order: the price weight and the need bands priced. */
    prices: [
      { priceWeight: 40, needBands: ["Standard", "Enhanced"] },
      { priceWeight: 40, needBands: ["Complex", "Solo placement"] },
    ],
  },
  supportedLivingDraft: {
    agreementReference: "SWPPC-SL-2027",
    title: "Supported living options (16+): higher and medium support",
    summary: "Accommodation and support for young people aged 16 and over, in care or leaving care. Draft: dates and questions still to be agreed.",
    lotNumbers: [1, 2, 3],
  },
} as const;
