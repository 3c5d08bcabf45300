import { equal } from "node:assert/strict";
import { diff } from "../../../runtime/plan/diff.ts";
import { diffToJson, formatValue, renderDiff } from "../../../runtime/plan/render.ts";
import { network, tap } from "./fixtures.ts";

const GOLDEN = new URL("./golden/", import.meta.url);

async function golden(name: string, actual: string) {
  const url = new URL(name, GOLDEN);
  if (Deno.env.get("UPDATE_GOLDEN")) {
    await Deno.writeTextFile(url, actual);
    return;
  }
  equal(actual, await Deno.readTextFile(url), `golden ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}

Deno.test("values read like the language", () => {
  equal(formatValue("access.mode", 0o640), "0640");
  equal(formatValue("ports", [{ from: 1, to: 8 }, { from: 10, to: 10 }]), "1-8,10");
  equal(formatValue("path", "/run/ipn/x"), '"/run/ipn/x"');
  equal(formatValue("addresses", ["10.0.0.1/24"]), '["10.0.0.1/24"]');
});

Deno.test("golden: create", async () => {
  await golden(
    "create.txt",
    renderDiff(diff([], [network("lab"), tap("lab0", "lab")]), { color: false }),
  );
});

Deno.test("golden: update", async () => {
  const d = diff([network("lab"), tap("lab0", "lab")], [
    network("lab", { access: { owner: "root", group: "netdev", mode: 0o640 }, mtu: 9000 }),
    tap("lab0", "lab", { addresses: ["10.10.0.1/24", "fd00::1/64"] }),
  ]);
  await golden("update.txt", renderDiff(d, { color: false }));
});

Deno.test("golden: replace", async () => {
  const d = diff([network("lab"), tap("lab0", "lab")], [
    network("lab", { path: "/run/ipn/lab2" }),
    tap("lab0", "lab"),
  ]);
  await golden("replace.txt", renderDiff(d, { color: false }));
});

Deno.test("golden: delete", async () => {
  await golden(
    "delete.txt",
    renderDiff(diff([network("lab"), tap("lab0", "lab")], []), { color: false }),
  );
});

Deno.test("golden: no changes, with drift", async () => {
  const rec = [network("lab")];
  const d = diff([network("lab", { mtu: 1500 })], [network("lab", { mtu: 1500 })], {
    recorded: rec,
  });
  await golden("drift.txt", renderDiff(d, { color: false }));
});

Deno.test("golden: JSON", async () => {
  const d = diff([network("lab"), network("gone")], [
    network("lab", { mtu: 9000 }),
    tap("lab0", "lab"),
  ]);
  await golden("plan.json", JSON.stringify(diffToJson(d), null, 2) + "\n");
});

Deno.test("colour codes appear only when asked", () => {
  const d = diff([], [network("lab")]);
  equal(renderDiff(d, { color: false }).includes("\x1b["), false);
  equal(renderDiff(d, { color: true }).includes("\x1b["), true);
});
