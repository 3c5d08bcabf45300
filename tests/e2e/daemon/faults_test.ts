import { equal, match } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config, lab } from "./configs.ts";

// Generation 1: two networks with taps. Generation 2 wants: net0 changed
// (mode), net1 deleted, net2 and net3 created with taps: a multi-step apply.
function gen1(run: string) {
  return config(run, lab(2, "f"));
}
function gen2(run: string) {
  const l = lab(4, "f");
  l[0].mode = "0640";
  return config(run, [l[0], l[2], l[3]]);
}

worldTest(
  "a failure injected at each step of a multi-step apply rolls every step back",
  async (w) => {
    const f1 = await w.file("gen1.ipn", gen1(w.runDir));
    const f2 = await w.file("gen2.ipn", gen2(w.runDir));
    await w.startDaemon();
    equal((await w.ipnctl("apply", f1)).code, 0);
    const plan = await w.ipnctl("plan", "--json", f2);
    const steps = JSON.parse(plan.stdout).changes.length;
    await w.stopDaemon();
    // delete tap f1, delete net1, update net0, create net2, net3, f2, f3
    equal(steps >= 6, true, `expected a multi-step plan, got ${steps} changes`);

    for (let i = 0;; i++) {
      await w.startDaemon({ IPN_TEST_FAULTS: `fail-op=${i}` });
      const a = await w.ipnctl("apply", f2);
      if (a.code === 0) {
        // Past the last step: nothing failed, the apply went through.
        equal(i >= steps, true, `only ${i} steps for ${steps} changes`);
        await w.stopDaemon();
        break;
      }
      match(a.stderr, /injected failure/);
      match(a.stderr, /every completed step was rolled back/);
      // Nothing changed: the first generation still matches exactly.
      const p = await w.ipnctl("plan", "--detailed-exitcode", f1);
      equal(p.code, 0, `step ${i}: live state differs from generation 1:\n${p.stdout}`);
      equal((await w.ipnctl("status", "--json")).stdout.includes('"generation": 1'), true);
      await w.stopDaemon();
    }
    await w.startDaemon();
    equal((await w.ipnctl("plan", "--detailed-exitcode", f2)).code, 0);
  },
);
