/**
 * The in-place Plan checker against zod, the schema's own validator: what
 * it accepts, zod accepts and returns unchanged (same keys, same order), so
 * returning the checked plan itself is the same as returning zod's copy.
 */
import { join } from "node:path";
import { loadPlan } from "../../dsl/mod.ts";
import { checkPlan, compileChecker } from "../../dsl/plan_check.ts";
import { Plan } from "../../dsl/schema.ts";
import { generate } from "../../bench/dsl/gen.ts";
import { parseSource } from "../../dsl/mod.ts";
import { assert, assertEquals } from "./assert.ts";
import { rng } from "./fuzz.ts";
import { ipnFiles, ROOT } from "./helpers.ts";

/** Plans of every example config, of every host, and of a generated config. */
async function samplePlans(): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const f of ipnFiles(join(ROOT, "configs"))) {
    for (const host of ["alpha", "beta", undefined]) {
      const r = await loadPlan(f, { host });
      if (r.plan) plans.push(r.plan);
    }
  }
  const g = parseSource(generate(400).ipn, "gen.ipn");
  assert(g.plan, "the generated config has a plan");
  plans.push(g.plan);
  return plans;
}

Deno.test("the language's own plans pass the checker, and zod returns them unchanged", async () => {
  const plans = await samplePlans();
  assert(plans.length >= 5, `only ${plans.length} plans`);
  const kinds = new Set(plans.flatMap((p) => p.resources.map((r) => r.kind)));
  for (const k of ["network", "tap", "grab", "uplink", "rewrite", "bind", "endpoint"]) {
    assert(kinds.has(k as Plan["resources"][number]["kind"]), `no ${k} in the sample plans`);
  }
  for (const p of plans) {
    assertEquals(checkPlan(p), undefined);
    const z = Plan.parse(p);
    assertEquals(z, p);
    assertEquals(JSON.stringify(z), JSON.stringify(p));
  }
});

// ---- mutations of valid plans ----------------------------------------

type Json = unknown;
const ODD: Json[] = [
  undefined,
  null,
  "",
  "x",
  "/",
  "/a b",
  "a/b",
  "0123456789abcdefg",
  -1,
  0,
  1,
  1.5,
  65536,
  4095,
  2 ** 53,
  NaN,
  Infinity,
  true,
  [],
  [1],
  {},
  { from: 1, to: 2 },
  "hub",
  "switch",
  "concast",
  "network",
  "tap",
  "inet",
  "ipn",
];

function clone(v: Json): Json {
  if (Array.isArray(v)) return v.map(clone);
  if (v && typeof v === "object") {
    const o: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) o[k] = clone(x);
    return o;
  }
  return v;
}

/** Every container (object or array) in `v`, with its path. */
function containers(v: Json, out: Json[] = []): Json[] {
  if (v && typeof v === "object") {
    out.push(v);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

function mutate(plan: Json, r: () => number): Json {
  const m = clone(plan);
  const all = containers(m);
  const target = all[Math.floor(r() * all.length)] as Record<string, Json> | Json[];
  const keys = Object.keys(target);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const op = Math.floor(r() * 6);
  if (Array.isArray(target)) {
    if (op < 2 && target.length) target.splice(Math.floor(r() * target.length), 1);
    else if (op < 4 && target.length) target[Math.floor(r() * target.length)] = pick(ODD);
    else target.push(target.length ? clone(target[0]) : pick(ODD));
    return m;
  }
  const o = target as Record<string, Json>;
  if (op === 0 && keys.length) delete o[pick(keys)];
  else if (op === 1) o[pick(["extra", "kind", "name", "port", "mtu", "from"])] = pick(ODD);
  else if (op === 2 && keys.length > 1) {
    // Same entries, another order.
    const entries = Object.entries(o).reverse();
    for (const k of keys) delete o[k];
    for (const [k, x] of entries) o[k] = x;
  } else if (keys.length) o[pick(keys)] = pick(ODD);
  return m;
}

Deno.test("mutated plans: the checker never accepts what zod refuses or would change", async () => {
  const plans = await samplePlans();
  const r = rng(0x9a11);
  let refusedByBoth = 0;
  let acceptedByBoth = 0;
  for (let i = 0; i < 20000; i++) {
    let m: Json = plans[Math.floor(r() * plans.length)];
    const rounds = 1 + Math.floor(r() * 2);
    for (let k = 0; k < rounds; k++) m = mutate(m, r);
    const fast = checkPlan(m) === undefined;
    const z = Plan.safeParse(m);
    if (fast) {
      assert(z.success, `checker accepts what zod refuses:\n${JSON.stringify(m)}`);
      assertEquals(z.data, m, "zod would change what the checker accepts");
      assertEquals(JSON.stringify(z.data), JSON.stringify(m));
      acceptedByBoth++;
    } else if (!z.success) refusedByBoth++;
  }
  // The mutations must reach both outcomes.
  assert(refusedByBoth > 5000, `only ${refusedByBoth} refused`);
  assert(acceptedByBoth > 500, `only ${acceptedByBoth} accepted`);
});

Deno.test("the checker refuses schema keywords it does not know", () => {
  let threw = false;
  try {
    compileChecker({ type: "string", uniqueItems: true } as never);
  } catch {
    threw = true;
  }
  assert(threw, "an unknown keyword must not be ignored");
});
