/**
 * Rewrites on the live system: observe, compare, apply (atomic replace of
 * the whole table) and remove. Only the table carrying ipn's ownership
 * comment is ever replaced or deleted.
 *
 * @module
 */
import type { Rewrite } from "../../dsl/schema.ts";
import { NFT_CHECK, nftApply, nftList, PolicyError, probeInterface } from "./ffi.ts";
import { describeDrift, isOwned } from "./rewrite_drift.ts";
import {
  type IfProbe,
  OWNER_COMMENT,
  renderRewrites,
  replaceScript,
  REWRITE_FAMILY,
  REWRITE_TABLE,
  type RewriteRender,
} from "./rewrite_render.ts";

const TABLE = `table ${REWRITE_FAMILY} ${REWRITE_TABLE}`;

/** The live table's listing, or undefined when it does not exist. */
export function observeRewrites(): string | undefined {
  return nftList(REWRITE_FAMILY, REWRITE_TABLE);
}

/** Render and validate; throws one PolicyError listing every problem. */
export function planRewrites(rewrites: Rewrite[], probe: IfProbe = probeInterface): RewriteRender {
  const r = renderRewrites(rewrites, probe);
  if (r.errors.length) throw new PolicyError(r.errors.join("\n"));
  return r;
}

/** How the live table differs from what `rewrites` render to; empty when in sync. */
export function rewriteDrift(rewrites: Rewrite[], probe: IfProbe = probeInterface): string[] {
  return describeDrift(planRewrites(rewrites, probe).ruleset, observeRewrites());
}

function refuseForeign(live: string | undefined): void {
  if (live !== undefined && !isOwned(live)) {
    throw new PolicyError(
      `${TABLE} exists but is not managed by ipn (its comment is not "${OWNER_COMMENT}"); ` +
        "delete or rename it by hand first",
    );
  }
}

/** Result of an apply. */
export interface RewriteApply {
  /** False when the live table already matched. */
  changed: boolean;
  ruleset: string;
}

/**
 * Have the kernel check the table `rewrites` render to, changing nothing
 * (what `nft --check` does); for previews. Throws PolicyError.
 */
export function checkRewrites(rewrites: Rewrite[], probe: IfProbe = probeInterface): void {
  const { ruleset } = planRewrites(rewrites, probe);
  refuseForeign(observeRewrites());
  const check = nftApply(replaceScript(ruleset), NFT_CHECK);
  if (check.rc < 0) throw new PolicyError(`nftables refused the rewrite table:\n${check.error}`);
}

/**
 * Make the live table what `rewrites` render to, in one nftables
 * transaction. Our checks come first (interfaces, overlaps, ownership); the
 * kernel then takes the whole batch or none of it, so on any error nothing
 * has changed. The result is read back and compared.
 */
export function applyRewrites(rewrites: Rewrite[], probe: IfProbe = probeInterface): RewriteApply {
  const { ruleset } = planRewrites(rewrites, probe);
  const live = observeRewrites();
  refuseForeign(live);
  if (describeDrift(ruleset, live).length === 0) return { changed: false, ruleset };
  const res = nftApply(replaceScript(ruleset));
  if (res.rc < 0) throw new PolicyError(`nftables refused the rewrite table:\n${res.error}`);
  const after = describeDrift(ruleset, observeRewrites());
  if (after.length) {
    throw new PolicyError(`${TABLE} differs from what was applied:\n${after.join("\n")}`);
  }
  return { changed: true, ruleset };
}

/** Delete ipn's rewrite table; nothing to do when it does not exist. */
export function removeRewrites(): boolean {
  const live = observeRewrites();
  if (live === undefined) return false;
  refuseForeign(live);
  const res = nftApply(replaceScript(""));
  if (res.rc < 0) throw new PolicyError(`cannot delete ${TABLE}:\n${res.error}`);
  return true;
}

/** Packets and bytes rewritten so far, per rewrite name. */
export function rewriteCounters(): Record<string, { packets: number; bytes: number }> {
  const live = observeRewrites();
  const out: Record<string, { packets: number; bytes: number }> = {};
  if (live === undefined) return out;
  for (const line of live.split("\n")) {
    const m = /counter packets (\d+) bytes (\d+) .*comment "rewrite (.*)"$/.exec(line.trim());
    if (m) out[m[3]] = { packets: Number(m[1]), bytes: Number(m[2]) };
  }
  return out;
}
