import { equal, match } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config } from "./configs.ts";

worldTest("a saved plan applies exactly, and is refused once the world moved", async (w) => {
  await w.startDaemon();
  const f = await w.file(
    "a.ipn",
    config(w.runDir, [{ name: "a", taps: [{ name: "sp0", addresses: ["10.81.0.1/24"] }] }]),
  );
  const saved = `${w.dir}/a.plan`;
  const p = await w.ipnctl("plan", "-o", saved, f);
  equal(p.code, 0, p.stderr);
  match(p.stdout, /Saved the plan/);
  const a = await w.ipnctl("apply", saved);
  equal(a.code, 0, a.stderr);

  // A second saved plan, then the world moves (tap removed by hand).
  const f2 = await w.file(
    "b.ipn",
    config(w.runDir, [{
      name: "a",
      mode: "0600",
      taps: [{ name: "sp0", addresses: ["10.81.0.1/24"] }],
    }]),
  );
  equal((await w.ipnctl("plan", "-o", saved, f2)).code, 0);
  await w.inNs("ip", "link", "del", "sp0");
  const stale = await w.ipnctl("apply", saved);
  equal(stale.code, 1);
  match(stale.stderr, /stale/);
  // Nothing was applied: mode still 0660.
  match((await w.ipnctl("plan", f2)).stdout, /access\.mode = 0660 -> 0600/);
});

worldTest(
  "--confirm rolls back by itself unless confirmed, and keeps the change when confirmed",
  async (w) => {
    await w.startDaemon();
    const base = await w.file("base.ipn", config(w.runDir, [{ name: "c" }]));
    const risky = await w.file(
      "risky.ipn",
      config(w.runDir, [{ name: "c", taps: [{ name: "cf0", addresses: ["10.82.0.1/24"] }] }]),
    );
    equal((await w.ipnctl("apply", base)).code, 0);

    const a = await w.ipnctl("apply", "--confirm", "2s", risky);
    equal(a.code, 0, a.stderr);
    match(a.stdout, /ipnctl confirm/);
    match((await w.ipnctl("status")).stdout, /pending: generation 2 rolls back to 1/);
    // Wait for the deadline, polling the state rather than sleeping blindly.
    let rolled = false;
    for (let i = 0; i < 100 && !rolled; i++) {
      await new Promise((r) => setTimeout(r, 200));
      rolled = (await w.ipnctl("plan", "--detailed-exitcode", base)).code === 0 &&
        /rolled back to generation 1/.test((await w.ipnctl("status")).stdout);
    }
    equal(rolled, true, "not rolled back after the deadline");
    equal((await w.links()).includes("cf0"), false);
    match((await w.ipnctl("history")).stdout, /auto-rollback/);

    const b = await w.ipnctl("apply", "--confirm", "3s", risky);
    equal(b.code, 0, b.stderr);
    const c = await w.ipnctl("confirm");
    equal(c.code, 0, c.stderr);
    await new Promise((r) => setTimeout(r, 3500));
    equal(
      (await w.ipnctl("plan", "--detailed-exitcode", risky)).code,
      0,
      "confirmed change was kept",
    );
    equal((await w.ipnctl("confirm")).code, 1, "nothing left to confirm");
  },
);

worldTest("two concurrent applies: one is refused as busy, the state stays whole", async (w) => {
  await w.startDaemon();
  const many = Array.from(
    { length: 12 },
    (_, i) => ({ name: `m${i}`, taps: [{ name: `cc${i}`, addresses: [`10.90.${i}.1/24`] }] }),
  );
  const f1 = await w.file("one.ipn", config(w.runDir, many));
  const f2 = await w.file("two.ipn", config(w.runDir, many.slice(0, 6)));
  const [a, b] = await Promise.all([w.ipnctl("apply", f1), w.ipnctl("apply", f2)]);
  const codes = [a.code, b.code].sort();
  // Either both succeeded one after the other, or one was refused as busy / stale.
  if (codes[1] !== 0) match(a.stderr + b.stderr, /busy|stale/);
  const winner = a.code === 0 && b.code !== 0 ? f1 : b.code === 0 && a.code !== 0 ? f2 : undefined;
  if (winner) equal((await w.ipnctl("plan", "--detailed-exitcode", winner)).code, 0);
  // And with a lock timeout both go through, serialised.
  const [c, d] = await Promise.all([
    w.ipnctl("apply", "--lock-timeout", "60s", f2),
    w.ipnctl("apply", "--lock-timeout", "60s", f2),
  ]);
  equal(c.code === 0 || /stale/.test(c.stderr), true, c.stderr);
  equal(d.code === 0 || /stale/.test(d.stderr), true, d.stderr);
  equal((await w.ipnctl("plan", "--detailed-exitcode", f2)).code, 0);
});
