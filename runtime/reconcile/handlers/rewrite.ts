/**
 * Rewrites: rules of ipn's one nftables table. Each rewrite is observed as
 * its live rule; creating, changing or removing one replaces the whole table
 * atomically with the rules of every live rewrite plus the change.
 *
 * A canonical rewrite carries `rule`, the exact nftables rule it programs,
 * so the plan says what will be programmed and a rule edited by hand shows
 * as drift on `rule`.
 *
 * @module
 */
import type { Rewrite } from "../../../dsl/schema.ts";
import {
  applyRewrites,
  observeRewrites,
  probeInterface,
  removeRewrites,
  renderRewrites,
} from "../../policy/mod.ts";
import { normaliseRule, parseListing } from "../../policy/rewrite_drift.ts";
import { ruleText } from "../../policy/rewrite_render.ts";
import type { Ctx, Handler, Refs } from "./handler.ts";

/** A rewrite with the rule it programs (not part of the Plan schema). */
type Programmed = Rewrite & { rule?: string };

function desiredRule(r: Rewrite): string {
  const out = renderRewrites([r], probeInterface);
  if (out.errors.length || !out.rewrites[0]) {
    return `(cannot be programmed: ${out.errors.join("; ")})`;
  }
  return normaliseRule(ruleText(out.rewrites[0]));
}

/** Live rules by rewrite name. */
function liveRules(): Map<string, string> {
  const listing = observeRewrites();
  const out = new Map<string, string>();
  if (listing === undefined) return out;
  for (const chain of parseListing(listing).chains) {
    for (const rule of chain.rules) {
      const name = /comment "rewrite (.*)"$/.exec(rule)?.[1];
      if (name !== undefined) out.set(name, rule);
    }
  }
  return out;
}

function observed(name: string, rule: string, ref: Rewrite | undefined): Programmed | undefined {
  // Without a declaration to read it against, a rule cannot become a resource.
  if (!ref) return undefined;
  return { ...ref, name, rule };
}

/** Every live rewrite we can name, as resources. */
function liveSet(ctx: Ctx): Rewrite[] {
  const refs = (ctx.refs?.get("rewrite") ?? new Map()) as Refs<Rewrite>;
  const out: Rewrite[] = [];
  for (const name of liveRules().keys()) {
    const ref = refs.get(name);
    if (ref) out.push(ref);
  }
  return out;
}

function program(set: Rewrite[]) {
  if (set.length === 0) removeRewrites();
  else applyRewrites(set);
}

export const rewriteHandler: Handler<Rewrite> = {
  kind: "rewrite",
  observe(_ctx, refs) {
    // Nothing declared now or before: nftables is not ours to look at (and
    // may not even exist in this kernel).
    if (refs.size === 0) return [];
    const out: Rewrite[] = [];
    for (const [name, rule] of liveRules()) {
      const r = observed(name, rule, refs.get(name));
      if (r) out.push(r);
    }
    return out;
  },
  observeOne(_ctx, name, ref) {
    if (!ref) return undefined;
    const rule = liveRules().get(name);
    return rule === undefined ? undefined : observed(name, rule, ref);
  },
  create(ctx, r) {
    program([...liveSet(ctx).filter((x) => x.name !== r.name), r]);
  },
  update(ctx, _before, after) {
    program([...liveSet(ctx).filter((x) => x.name !== after.name), after]);
  },
  delete(ctx, r) {
    program(liveSet(ctx).filter((x) => x.name !== r.name));
  },
  canonical(r) {
    const { rule: _old, ...plain } = r as Programmed;
    return { ...plain, rule: desiredRule(plain) } as Rewrite;
  },
  problems(_ctx, rs) {
    const plain = rs.map((r) => {
      const { rule: _x, ...p } = r as Programmed;
      return p as Rewrite;
    });
    return renderRewrites(plain, probeInterface).errors;
  },
};
