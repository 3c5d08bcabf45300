import { deepEqual, equal, match } from "node:assert/strict";
import { diff, isEmpty } from "../../../runtime/plan/diff.ts";
import { network, tap } from "./fixtures.ts";

Deno.test("identical states plan nothing", () => {
  const rs = [network("lab"), tap("lab0", "lab")];
  const d = diff(rs, structuredClone(rs));
  equal(isEmpty(d), true);
  deepEqual(d.summary, { create: 0, update: 0, replace: 0, delete: 0 });
});

Deno.test("create, update, delete are classified per resource", () => {
  const live = [network("lab"), network("old")];
  const want = [
    network("lab", { access: { owner: "root", group: "netdev", mode: 0o640 } }),
    network("new"),
  ];
  const d = diff(live, want);
  deepEqual(d.changes.map((c) => [c.name, c.action]), [["lab", "update"], ["new", "create"], [
    "old",
    "delete",
  ]]);
  deepEqual(d.changes[0].attrs, [{
    path: "access.mode",
    before: 0o660,
    after: 0o640,
    forcesReplacement: false,
  }]);
  deepEqual(d.summary, { create: 1, update: 1, replace: 0, delete: 1 });
});

Deno.test("an immutable attribute forces replacement, with the reason", () => {
  const d = diff([network("lab")], [network("lab", { path: "/run/ipn/lab2" })]);
  equal(d.changes[0].action, "replace");
  equal(d.changes[0].reason, "path changed, forces replacement (members are disconnected)");
});

Deno.test("changing the policy kind replaces; changing switch VLANs updates in place", () => {
  const hub = diff([network("lab")], [network("lab", { policy: { kind: "hub" } })]);
  equal(hub.changes[0].action, "replace");
  const vlan = diff([network("lab")], [
    network("lab", {
      policy: {
        kind: "switch",
        vlans: [{ vlan: 20, ports: [{ from: 1, to: 8 }] }],
        trunks: [],
        ageing: 300,
      },
    }),
  ]);
  equal(vlan.changes[0].action, "update");
});

Deno.test("children of a replaced network are replaced with it", () => {
  const live = [network("lab"), tap("lab0", "lab")];
  const want = [network("lab", { policy: { kind: "hub" } }), tap("lab0", "lab")];
  const d = diff(live, want);
  const t = d.changes.find((c) => c.kind === "tap")!;
  equal(t.action, "replace");
  equal(t.reason, "replaced together with network 'lab'");
  equal(d.summary.replace, 2);
});

Deno.test("order is by kind dependency, then name, whatever the input order", () => {
  const want = [tap("b0", "b"), network("b"), tap("a0", "a"), network("a")];
  const d = diff([], want);
  deepEqual(d.changes.map((c) => `${c.kind}.${c.name}`), [
    "network.a",
    "network.b",
    "tap.a0",
    "tap.b0",
  ]);
});

Deno.test("drift: a resource removed or changed behind our back is named", () => {
  const recorded = [network("lab"), tap("lab0", "lab")];
  const live = [network("lab", { mtu: 9000 })];
  const d = diff(live, recorded, { recorded });
  const net = d.changes.find((c) => c.kind === "network")!;
  const t = d.changes.find((c) => c.kind === "tap")!;
  equal(net.action, "update");
  match(net.drift!, /changed outside ipn: mtu/);
  equal(t.action, "create");
  equal(t.drift, "tap 'lab0' was removed outside ipn");
});

Deno.test("the source location never makes a difference", () => {
  const d = diff([network("lab", { source: "a.ipn:1:1" })], [
    network("lab", { source: "b.ipn:9:9" }),
  ]);
  equal(isEmpty(d), true);
});
