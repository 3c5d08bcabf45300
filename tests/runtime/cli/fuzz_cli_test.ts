/**
 * The real CLI on mutated configs (fixed seed): it never crashes. Every run
 * exits 0 or 1, prints no stack trace and no internal error, and on exit 1
 * shows located diagnostics.
 */
import { join } from "node:path";
import { assert } from "../../dsl/assert.ts";
import { mutate, rng } from "../../dsl/fuzz.ts";
import { inTempDir, ipnctl, ROOT } from "./run.ts";

const RUNS = 24;

Deno.test(`fuzz the CLI: ${RUNS} mutants through validate, validate --json and fmt --check`, async () => {
  const corpus = ["lab.ipn", "sensors.ipn", "multicast.ipn", "testers.ipn", "fleet.ipn"]
    .map((f) => Deno.readTextFileSync(join(ROOT, "configs", f)));
  const r = rng(0x5eed);
  await inTempDir(async (dir) => {
    for (let i = 0; i < RUNS; i++) {
      let text = corpus[i % corpus.length];
      for (let k = 0; k < 1 + (i % 3); k++) text = mutate(text, r);
      const f = join(dir, `m${i}.ipn`);
      Deno.writeTextFileSync(f, text);
      const args = [["validate", f], ["validate", "--json", f], ["fmt", "--check", f]][i % 3];
      const res = await ipnctl(args);
      const ctx = `${args.join(" ")}\n--- input:\n${text}\n--- stderr:\n${res.stderr}`;
      assert(res.code === 0 || res.code === 1, `exit ${res.code}: ${ctx}`);
      assert(!/^\s+at /m.test(res.stderr), `stack trace: ${ctx}`);
      assert(!/internal error|Uncaught/.test(res.stderr + res.stdout), `crash: ${ctx}`);
      if (args[1] === "--json") {
        const out = JSON.parse(res.stdout);
        assert(out.valid === (res.code === 0), ctx);
        for (const d of out.diagnostics) {
          assert(d.start.line >= 1 && d.start.offset <= text.length, ctx);
        }
      } else if (res.code === 1 && args[0] === "validate") {
        assert(
          new RegExp(`^${f.replace(/[.]/g, "\\.")}:\\d+:\\d+: error: `, "m").test(res.stderr),
          ctx,
        );
      }
    }
  });
});
