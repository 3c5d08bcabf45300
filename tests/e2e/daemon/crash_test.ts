import { equal, ok } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config, lab } from "./configs.ts";

worldTest(
  "ipnd killed with SIGKILL at every journal point recovers to the old or the new state",
  async (w) => {
    const f1 = await w.file("gen1.ipn", config(w.runDir, lab(2, "k")));
    const l = lab(3, "k");
    l[1].mode = "0600";
    const f2 = await w.file("gen2.ipn", config(w.runDir, [l[1], l[2]]));
    let sawOld = 0;
    let sawNew = 0;
    for (let k = 1;; k++) {
      // Start every round from generation-1 contents.
      await w.startDaemon();
      equal((await w.ipnctl("apply", f1)).code, 0, `round ${k}: reset`);
      await w.stopDaemon();

      await w.startDaemon({ IPN_TEST_FAULTS: `kill-at=${k}` });
      const a = await w.ipnctl("apply", f2);
      const st = await w.daemonExit();
      const killed = st?.signal === "SIGKILL" || st?.code === 137;
      if (!killed) {
        // Past the last journal point: the apply completed normally.
        equal(a.code, 0, a.stderr);
        ok(k > 3, `only ${k - 1} journal points?`);
        await w.stopDaemon();
        break;
      }
      await w.startDaemon();
      const old = (await w.ipnctl("plan", "--detailed-exitcode", f1)).code === 0;
      const neu = (await w.ipnctl("plan", "--detailed-exitcode", f2)).code === 0;
      ok(
        old !== neu,
        `round ${k}: live state is neither generation exactly (old=${old} new=${neu})\n${await w
          .log()}`,
      );
      if (old) sawOld++;
      else sawNew++;
      const s = JSON.parse((await w.ipnctl("status", "--json")).stdout);
      ok(s.notices.length > 0 || neu, `round ${k}: recovery left no notice`);
      await w.stopDaemon();
    }
    ok(sawOld > 0, "some crash points must roll back");
    ok(sawNew > 0 || sawOld > 0);
  },
);
