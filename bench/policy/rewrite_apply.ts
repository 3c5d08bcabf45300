/**
 * Time applying N rewrites (render, checks, kernel check, one transaction,
 * read-back) against `nft -f` loading the same table, in the same run.
 * Run inside a namespace that has interfaces in0..in9 and out0.
 *
 * @module
 */
import type { Rewrite } from "../../dsl/schema.ts";
import { applyRewrites, removeRewrites, renderRewrites } from "../../runtime/policy/mod.ts";
import { probeInterface } from "../../runtime/policy/ffi.ts";
import { replaceScript } from "../../runtime/policy/rewrite_render.ts";

const n = Number(Deno.args[0] ?? 1000);
const rewrites: Rewrite[] = Array.from({ length: n }, (_, i) => ({
  kind: "rewrite",
  name: `r${i}`,
  from: `in${i % 10}`,
  to: "out0",
  match: {
    proto: "udp",
    group: `239.${(i >> 8) & 255}.${i & 255}.0/24`,
    ports: [{ from: 10000, to: 10010 }],
  },
}));

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const renderMs = time(() => renderRewrites(rewrites, probeInterface));
const applyMs = time(() => applyRewrites(rewrites));
removeRewrites();
const file = Deno.makeTempFileSync({ suffix: ".nft" });
Deno.writeTextFileSync(file, replaceScript(renderRewrites(rewrites, probeInterface).ruleset));
const nftMs = time(() => {
  const r = new Deno.Command("nft", { args: ["-f", file] }).outputSync();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
});
removeRewrites();
Deno.removeSync(file);
console.log(JSON.stringify({
  bench: "policy_rewrite",
  rewrites: n,
  render_ms: Math.round(renderMs),
  apply_ms: Math.round(applyMs),
  nft_f_ms: Math.round(nftMs),
  ratio_apply_to_nft: Number((applyMs / nftMs).toFixed(2)),
}));
