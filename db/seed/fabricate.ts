// Invents plausible homes and Ofsted histories from a seeded random source,
// for the demo and for generated test data. Pure: nothing here touches the
// database, so the same seed always plans the same homes.
import type { ServiceType } from "#app/database/schema";
import type { OfstedGrade } from "#app/modules/homes/homes";
import { DISTRICTS_BY_AREA, HOME_NAME_ENDINGS, HOME_NAME_WORDS, SOUTH_WEST_DISTRICTS, type Area, type Focus } from "./demo-data";
import { addDays, type SeededRandom } from "./random";

export interface PlannedJudgement {
  inspectedOn: string;
  grade: OfstedGrade;
}

export interface PlannedHome {
  name: string;
  serviceType: ServiceType;
  ofstedUrn: string | null;
  registeredPlaces: number;
  postcodeDistrict: string;
  latitude: number;
  longitude: number;
  /** Oldest first, the order they are recorded in. */
  judgements: PlannedJudgement[];
}

const SERVICE_MIX: Record<Focus, readonly (readonly [ServiceType, number])[]> = {
  residential: [
    ["childrens_home", 9],
    ["short_breaks", 1],
  ],
  supported: [["supported_living", 1]],
  short_breaks: [
    ["short_breaks", 3],
    ["childrens_home", 1],
  ],
  mixed: [
    ["childrens_home", 6],
    ["supported_living", 3],
    ["short_breaks", 1],
  ],
};

const GRADE_MIX: readonly (readonly [OfstedGrade, number])[] = [
  [1, 14],
  [2, 58],
  [3, 20],
  [4, 4],
  [5, 4],
];
const JUDGED_MIX = GRADE_MIX.filter(([grade]) => grade !== 5);

const LATEST_INSPECTION = "2026-09-30";

/** The fixed last inspection day, or yesterday on a machine whose clock is earlier (judgements may not be in the future). */
export function inspectionCutoff(now = new Date()): string {
  const yesterday = addDays(now.toISOString().slice(0, 10), -1);
  return yesterday < LATEST_INSPECTION ? yesterday : LATEST_INSPECTION;
}

export class HomePlanner {
  private readonly names = new Set<string>();
  private readonly urns = new Set<string>();

  /**
   * @param latestInspection the last day an inspection may fall on; fixed
   * rather than "today", so the same seed gives the same dates on any day.
   */
  constructor(
    private readonly rng: SeededRandom,
    private readonly latestInspection = inspectionCutoff(),
  ) {}

  plan(focus: Focus, areas: readonly Area[]): PlannedHome {
    const rng = this.rng;
    const serviceType = rng.weighted(SERVICE_MIX[focus]);
    const area = rng.pick(areas.length > 0 ? areas : (["east"] as const));
    const districts = DISTRICTS_BY_AREA[area].length > 0 ? DISTRICTS_BY_AREA[area] : SOUTH_WEST_DISTRICTS;
    const [postcodeDistrict, latitude, longitude] = rng.pick(districts);

    const registeredPlaces =
      serviceType === "childrens_home"
        ? rng.weighted([
            [1, 10],
            [2, 20],
            [3, 25],
            [4, 25],
            [5, 10],
            [6, 10],
          ] as const)
        : serviceType === "supported_living"
          ? rng.int(3, 8)
          : rng.int(4, 8);

    // Supported accommodation for 16 and 17 year olds is Ofsted-registered (since 2023);
    // supported living for care leavers over 18 is not, so some have no URN.
    const registered = serviceType !== "supported_living" || rng.chance(0.75);
    const ofstedUrn = registered ? this.urn() : null;
    return {
      name: this.name(serviceType),
      serviceType,
      ofstedUrn,
      registeredPlaces,
      postcodeDistrict,
      latitude,
      longitude,
      judgements: registered ? this.judgements(serviceType) : [],
    };
  }

  private name(serviceType: ServiceType): string {
    const endings = HOME_NAME_ENDINGS[serviceType];
    for (let attempt = 0; attempt < 30; attempt++) {
      const name = `${this.rng.pick(HOME_NAME_WORDS)} ${this.rng.pick(endings)}`;
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
    // Large data sets run out of pairs: number them, as providers do ("Willow House 2").
    const base = `${this.rng.pick(HOME_NAME_WORDS)} ${this.rng.pick(endings)}`;
    let n = 2;
    while (this.names.has(`${base} ${n}`)) n++;
    this.names.add(`${base} ${n}`);
    return `${base} ${n}`;
  }

  private urn(): string {
    for (;;) {
      const urn = `SC${this.rng.int(1, 9)}${this.rng.digits(5)}`;
      if (!this.urns.has(urn)) {
        this.urns.add(urn);
        return urn;
      }
    }
  }

  private judgements(serviceType: ServiceType): PlannedJudgement[] {
    const rng = this.rng;
    const last = this.latestInspection;
    if (serviceType === "supported_living") {
      // Ofsted began inspecting supported accommodation in 2025: many are not yet judged.
      if (rng.chance(0.3)) return [{ inspectedOn: rng.date(addDays(last, -180), last), grade: 5 }];
      return [
        {
          inspectedOn: rng.date(addDays(last, -480), last),
          grade: rng.weighted([
            [1, 5],
            [2, 60],
            [3, 30],
            [4, 5],
          ] as const),
        },
      ];
    }
    const grade = rng.weighted(GRADE_MIX);
    if (grade === 5) return [{ inspectedOn: rng.date(addDays(last, -200), last), grade }];
    const latest: PlannedJudgement = { inspectedOn: rng.date(addDays(last, -720), last), grade };
    if (!rng.chance(0.5)) return [latest];
    const earlier: PlannedJudgement = {
      inspectedOn: addDays(latest.inspectedOn, -rng.int(270, 450)),
      grade: rng.weighted(JUDGED_MIX),
    };
    return [earlier, latest];
  }
}
