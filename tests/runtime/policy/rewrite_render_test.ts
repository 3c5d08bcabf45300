import assert from "node:assert/strict";
import type { Rewrite } from "../../../dsl/schema.ts";
import type { IfFacts } from "../../../runtime/policy/ffi.ts";
import {
  chainNames,
  renderRewrites,
  replaceScript,
} from "../../../runtime/policy/rewrite_render.ts";

const IFS: Record<string, IfFacts> = {
  if1: { name: "if1", index: 2, ethernet: true, mac: "02:00:00:00:00:01" },
  eth0: {
    name: "eth0",
    index: 3,
    ethernet: true,
    mac: "02:00:00:00:00:02",
    ipv4: "192.168.1.7",
  },
  "a-b": { name: "a-b", index: 4, ethernet: true, mac: "02:00:00:00:00:03" },
  tun0: { name: "tun0", index: 5, ethernet: false, ipv4: "10.0.0.1" },
  bare: { name: "bare", index: 6, ethernet: true, mac: "02:00:00:00:00:04" },
};
const probe = (n: string) => IFS[n];

function rw(name: string, over: Partial<Rewrite> = {}, match: Partial<Rewrite["match"]> = {}) {
  return {
    kind: "rewrite",
    name,
    from: "if1",
    to: "eth0",
    ...over,
    match: { proto: "udp", group: "239.0.0.0/8", ports: [{ from: 10000, to: 10000 }], ...match },
  } as Rewrite;
}

Deno.test("the seed's rewrite renders to the table nft lists back", () => {
  const r = renderRewrites([rw("cam-feed")], probe);
  assert.deepEqual(r.errors, []);
  assert.equal(
    r.ruleset,
    `table netdev ipn_rewrite {
\tcomment "managed by ipn"
\tchain in_if1 {
\t\tcomment "from if1"
\t\ttype filter hook ingress device "if1" priority filter; policy accept;
\t\tip daddr 239.0.0.0/8 ip frag-off & 16383 == 0 udp dport 10000 counter ether daddr set 02:00:00:00:00:02 ip daddr set 192.168.1.7 meta pkttype set host comment "rewrite cam-feed"
\t}
}
`,
  );
});

Deno.test("rendering is deterministic: sorted chains and rules, normalised values", () => {
  const list = [
    rw("zeta", { from: "a-b" }, {
      group: "239.1.2.3",
      ports: [
        { from: 7, to: 9 },
        { from: 1, to: 3 },
        { from: 4, to: 5 },
        { from: 20, to: 20 },
        { from: 3, to: 4 },
        { from: 21, to: 21 },
      ],
    }),
    rw("alpha", {}, { group: "239.255.1.1/16" }),
    rw("mid", { address: "10.1.1.1" }, { group: "238.0.0.0/8" }),
  ];
  const a = renderRewrites(list, probe);
  const b = renderRewrites([...list].reverse(), probe);
  assert.deepEqual(a.errors, []);
  assert.equal(a.ruleset, b.ruleset);
  const lines = a.ruleset.split("\n").map((l) => l.trim());
  assert.deepEqual(lines.filter((l) => l.startsWith("chain")), [
    "chain in_a_b {",
    "chain in_if1 {",
  ]);
  assert.ok(
    lines.includes(`type filter hook ingress device "a-b" priority filter; policy accept;`),
  );
  // ranges merged as nft stores them (adjacent ones too), /32 written as an
  // address, host bits cleared: all as `nft list` prints them
  assert.match(
    a.ruleset,
    /ip daddr 239\.1\.2\.3 ip frag-off & 16383 == 0 udp dport \{ 1-5, 7-9, 20-21 \}/,
  );
  assert.match(a.ruleset, /ip daddr 239\.255\.0\.0\/16 /);
  assert.match(a.ruleset, /ip daddr set 10\.1\.1\.1 meta pkttype set host comment "rewrite mid"/);
  const rules = lines.filter((l) => l.startsWith("ip daddr")).map((l) =>
    /"rewrite (.*)"/.exec(l)![1]
  );
  assert.deepEqual(rules, ["zeta", "alpha", "mid"]);
});

Deno.test("no Ethernet header, no MAC rewrite", () => {
  const r = renderRewrites([rw("t", { from: "tun0" })], probe);
  assert.deepEqual(r.errors, []);
  assert.doesNotMatch(r.ruleset, /ether daddr/);
  assert.match(r.ruleset, /ip daddr set 192\.168\.1\.7 meta pkttype set host/);
  const t = renderRewrites([rw("t", { to: "tun0" })], probe);
  assert.doesNotMatch(t.ruleset, /ether daddr/);
  assert.match(t.ruleset, /ip daddr set 10\.0\.0\.1 /);
});

Deno.test("nothing declared renders nothing; the replace script deletes then", () => {
  assert.deepEqual(renderRewrites([], probe), { errors: [], rewrites: [], ruleset: "" });
  assert.equal(
    replaceScript(""),
    "table netdev ipn_rewrite\ndelete table netdev ipn_rewrite\n",
  );
  const r = renderRewrites([rw("x")], probe);
  assert.ok(replaceScript(r.ruleset).endsWith(r.ruleset));
});

Deno.test("every bad rewrite is reported at once, and nothing is rendered", () => {
  const r = renderRewrites([
    rw("a", { from: "nosuch0" }),
    rw("b", { to: "nosuch1" }),
    rw("c", {}, { group: "10.0.0.0/8" }),
    rw("d", {}, { group: "ff02::1" }),
    rw("e", {}, { ports: [{ from: 0, to: 5 }] }),
    rw("f", {}, { ports: [] }),
    rw("g", { to: "bare" }),
    rw("h", { address: "239.1.1.1" }),
    rw('i"j'),
    rw("k", {}, { group: "239.0.0.0/33" }),
    { ...rw("l", { source: "net.ipn:3:1" }), from: "nosuch2" },
  ], probe);
  assert.equal(r.ruleset, "");
  assert.deepEqual(r.errors, [
    "rewrite a: interface nosuch0 (from) does not exist",
    "rewrite b: interface nosuch1 (to) does not exist",
    "rewrite c: 10.0.0.0/8 is not a multicast range (within 224.0.0.0/4)",
    "rewrite d: 'ff02::1' is not an IPv4 address or prefix (IPv6 is not supported)",
    "rewrite e: port range 0-5 is not within 1-65535",
    "rewrite f: no ports to match",
    "rewrite g: interface bare has no IPv4 address to deliver to (give 'address')",
    "rewrite h: address '239.1.1.1' is not a unicast IPv4 address",
    'rewrite i"j: the name must be at most 120 bytes without quotes, backslashes or newlines',
    "rewrite k: '239.0.0.0/33' is not an IPv4 address or prefix (IPv6 is not supported)",
    "net.ipn:3:1: rewrite l: interface nosuch2 (from) does not exist",
  ]);
});

Deno.test("overlapping rewrites on one interface are refused", () => {
  const r = renderRewrites([
    rw("one", {}, { ports: [{ from: 10000, to: 10005 }] }),
    rw("two", {}, { group: "239.1.0.0/16", ports: [{ from: 10005, to: 10009 }] }),
    // same group and port but another interface: fine
    rw("three", { from: "a-b" }, { ports: [{ from: 10000, to: 10005 }] }),
    // same interface, disjoint groups: fine
    rw("four", {}, { group: "238.0.0.0/8", ports: [{ from: 10000, to: 10005 }] }),
    // same interface and group, disjoint ports: fine
    rw("five", {}, { ports: [{ from: 20000, to: 20000 }] }),
  ], probe);
  assert.deepEqual(r.errors, [
    "rewrites one and two overlap: both match udp to 239.1.0.0/16 port 10005 arriving on if1",
  ]);
  const dup = renderRewrites([rw("x"), rw("x", {}, { group: "238.0.0.0/8" })], probe);
  assert.deepEqual(dup.errors, ["rewrite x is declared twice"]);
});

Deno.test("chain names are nft identifiers, unique and stable", () => {
  assert.deepEqual(
    [...chainNames(["a.b", "a-b", "a_b", "eth0", "a-b"])],
    [["a-b", "in_a_b"], ["a.b", "in_a_b_2"], ["a_b", "in_a_b_3"], ["eth0", "in_eth0"]],
  );
});
