/**
 * Every construct of the language parses to the expected Plan, with the
 * documented defaults.
 */
import { parseSource, type Plan } from "../../dsl/mod.ts";
import { assert, assertEquals } from "./assert.ts";

function plan(text: string, host = "test-host"): Plan {
  const r = parseSource(text, "t.ipn", { host });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assertEquals(errors.map((d) => `${d.start.line}:${d.start.col} ${d.message}`), []);
  assert(r.plan);
  return r.plan;
}

const ACCESS = { owner: "root", group: "root", mode: 0o660 };

Deno.test("network with defaults", () => {
  assertEquals(plan('network lab {\n  path "/run/ipn/lab"\n}\n'), {
    version: 1,
    backend: "auto",
    resources: [{
      kind: "network",
      name: "lab",
      source: "t.ipn:1:1",
      path: "/run/ipn/lab",
      policy: { kind: "hub" },
      ports: 32,
      mtu: 1514,
      queue: 64,
      delivery: "lossy",
      persistent: true,
      access: ACCESS,
    }],
  });
});

Deno.test("network with every setting", () => {
  const p = plan(`
network lab {
  description "VM lab"
  path "/run/ipn//lab/"
  policy hub
  ports 8
  mtu 9000
  queue 512
  lossless
  persistent
  access {
    owner 1000
    group users
    mode 0640
  }
}`);
  assertEquals(p.resources[0], {
    kind: "network",
    name: "lab",
    source: "t.ipn:2:1",
    path: "/run/ipn/lab",
    policy: { kind: "hub" },
    ports: 8,
    mtu: 9000,
    queue: 512,
    delivery: "lossless",
    persistent: true,
    access: { owner: 1000, group: "users", mode: 0o640 },
    description: "VM lab",
  });
});

Deno.test("policy switch: plain, and with VLANs, trunks and ageing", () => {
  const p = plan(`
network a {
  path "/a"
  policy switch
}
network b {
  path "/b"
  policy switch {
    vlan 10 ports 1-8,12
    vlan 20 ports 9-11
    trunk ports 31-32 vlans 10,20-22
    ageing 60
  }
}`);
  assertEquals(p.resources.map((r) => r.kind === "network" && r.policy), [
    { kind: "switch", vlans: [], trunks: [], ageing: 300 },
    {
      kind: "switch",
      vlans: [
        { vlan: 10, ports: [{ from: 1, to: 8 }, { from: 12, to: 12 }] },
        { vlan: 20, ports: [{ from: 9, to: 11 }] },
      ],
      trunks: [{
        ports: [{ from: 31, to: 32 }],
        vlans: [{ from: 10, to: 10 }, { from: 20, to: 22 }],
      }],
      ageing: 60,
    },
  ]);
});

Deno.test("policy concast: fields, merge functions, done, output, receiver", () => {
  const p = plan(`
network a {
  path "/a"
  policy concast {
    key field u16 at 0
    merge sum field u32 le at 4
    done after 8 or 100ms
    output message
    receiver port 1
  }
}
network b {
  path "/b"
  policy concast {
    done after 2s
    merge count
    key field u64 le at 8
    output summary
  }
}
network c {
  path "/c"
  policy concast {
    key field u8 at 3
    merge count field u16 at 4
    done after 250ms or 5
  }
}`);
  const policies = p.resources.map((r) => r.kind === "network" && r.policy);
  assertEquals(policies, [
    {
      kind: "concast",
      key: { type: "u16", offset: 0, order: "be" },
      merge: { fn: "sum", field: { type: "u32", offset: 4, order: "le" } },
      done: { count: 8, timeoutMs: 100 },
      output: "message",
      receiver: 1,
    },
    {
      kind: "concast",
      key: { type: "u64", offset: 8, order: "le" },
      merge: { fn: "count" },
      done: { timeoutMs: 2000 },
      output: "summary",
    },
    {
      kind: "concast",
      key: { type: "u8", offset: 3, order: "be" },
      merge: { fn: "count", field: { type: "u16", offset: 4, order: "be" } },
      done: { count: 5, timeoutMs: 250 },
      output: "message",
    },
  ]);
});

Deno.test("concast merge functions min, max, first, last, dedup", () => {
  for (const fn of ["min", "max", "first", "last", "dedup"]) {
    const field = ["min", "max"].includes(fn) ? " field u32 at 4" : "";
    const p = plan(`network n {
  path "/n"
  policy concast {
    key field u16 at 0
    merge ${fn}${field}
    done after 4
  }
}`);
    const pol = p.resources[0].kind === "network" ? p.resources[0].policy : undefined;
    assert(pol?.kind === "concast");
    assertEquals(pol.merge.fn, fn);
    assertEquals(pol.merge.field !== undefined, field !== "");
  }
});

Deno.test("tap, grab and uplink are resources of their own", () => {
  const p = plan(`
network lab {
  path "/run/ipn/lab"
  tap lab0 {
    address 10.10.0.1/24
    address FD00:10:0:0::1/64
    mtu 1500
    port 3
  }
  tap lab1 {
    down
  }
  tap lab2
  grab veth-lab
  grab eth9 {
    port 5
  }
  uplink vxlan {
    vni 42
    group 239.1.1.1
    dev eth0
    port 8472
    ttl 8
    name vx42
  }
  uplink vxlan {
    vni 7
    remote 192.0.2.2
    remote 192.0.2.3 192.0.2.4
  }
}`);
  assertEquals(p.resources.slice(1), [
    {
      kind: "tap",
      name: "lab0",
      source: "t.ipn:4:3",
      network: "lab",
      addresses: ["10.10.0.1/24", "fd00:10::1/64"],
      up: true,
      port: 3,
      mtu: 1500,
    },
    { kind: "tap", name: "lab1", source: "t.ipn:10:3", network: "lab", addresses: [], up: false },
    { kind: "tap", name: "lab2", source: "t.ipn:13:3", network: "lab", addresses: [], up: true },
    { kind: "grab", name: "eth9", source: "t.ipn:15:3", network: "lab", port: 5 },
    { kind: "grab", name: "veth-lab", source: "t.ipn:14:3", network: "lab" },
    {
      kind: "uplink",
      name: "ipnvx7",
      source: "t.ipn:26:3",
      network: "lab",
      type: "vxlan",
      vni: 7,
      remote: ["192.0.2.2", "192.0.2.3", "192.0.2.4"],
      port: 4789,
    },
    {
      kind: "uplink",
      name: "vx42",
      source: "t.ipn:18:3",
      network: "lab",
      type: "vxlan",
      vni: 42,
      group: "239.1.1.1",
      remote: [],
      dev: "eth0",
      port: 8472,
      ttl: 8,
    },
  ]);
});

Deno.test("rewrite", () => {
  const p = plan(`
rewrite cam-feed {
  from if1
  match udp dst 239.0.0.0/8 port 10000
  to unicast eth0
}
rewrite telemetry {
  to unicast eth1 address 192.168.1.5
  match udp dst 239.192.10.7 port 5000-5010,6000
  from capture0
}
rewrite any-port {
  from a0
  match udp dst 239.1.2.0/24
  to unicast b0
}`);
  assertEquals(p.resources, [
    {
      kind: "rewrite",
      name: "any-port",
      source: "t.ipn:12:1",
      from: "a0",
      match: { proto: "udp", group: "239.1.2.0/24", ports: [] },
      to: "b0",
    },
    {
      kind: "rewrite",
      name: "cam-feed",
      source: "t.ipn:2:1",
      from: "if1",
      match: { proto: "udp", group: "239.0.0.0/8", ports: [{ from: 10000, to: 10000 }] },
      to: "eth0",
    },
    {
      kind: "rewrite",
      name: "telemetry",
      source: "t.ipn:7:1",
      from: "capture0",
      match: {
        proto: "udp",
        group: "239.192.10.7/32",
        ports: [{ from: 5000, to: 5010 }, { from: 6000, to: 6000 }],
      },
      to: "eth1",
      address: "192.168.1.5",
    },
  ]);
});

Deno.test("bind", () => {
  const p = plan(`
bind testers {
  when env ND
  except tcp port 6000-6063
  except loopback
  except unix
}
bind fixed {
  when device usn0
  when env DEV
  except udp port 53
  except any port 22
  except port 80,443
  except address 10.99.0.0/16
  except address fd00::1
}`);
  assertEquals(p.resources, [
    {
      kind: "bind",
      name: "fixed",
      source: "t.ipn:8:1",
      env: "DEV",
      device: "usn0",
      except: [
        { kind: "port", proto: "udp", ports: [{ from: 53, to: 53 }] },
        { kind: "port", proto: "any", ports: [{ from: 22, to: 22 }] },
        { kind: "port", proto: "any", ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }] },
        { kind: "address", cidr: "10.99.0.0/16" },
        { kind: "address", cidr: "fd00::1/128" },
      ],
    },
    {
      kind: "bind",
      name: "testers",
      source: "t.ipn:2:1",
      env: "ND",
      except: [
        { kind: "port", proto: "tcp", ports: [{ from: 6000, to: 6063 }] },
        { kind: "loopback" },
        { kind: "unix" },
      ],
    },
  ]);
});

Deno.test("endpoint: families in the order written, ipn network resolved to its path", () => {
  const p = plan(`
network lab {
  path "/run/ipn/lab"
}
endpoint db {
  ipn network lab
  inet6 FD00::0:5 port 5432
  inet 10.0.0.5 port 5432
  ipn "/run/ipn/other"
}`);
  assertEquals(p.resources[1], {
    kind: "endpoint",
    name: "db",
    source: "t.ipn:5:1",
    addresses: [
      { family: "ipn", path: "/run/ipn/lab" },
      { family: "inet6", address: "fd00::5", port: 5432 },
      { family: "inet", address: "10.0.0.5", port: 5432 },
      { family: "ipn", path: "/run/ipn/other" },
    ],
  });
});

Deno.test("let, interpolation, escapes, names as strings", () => {
  const p = plan(`
let run = "/run/ipn"
let n = 42
let prefix = lab
network "\${prefix}-\${n}" {
  path "\${run}/\${prefix}"
  description "cost: \\$5, \\"quoted\\", tab\\there"
  tap "\${prefix}0" {
    address "10.\${n}.0.1/24"
  }
}`);
  const [net, tap] = p.resources;
  assert(net.kind === "network" && tap.kind === "tap");
  assertEquals([net.name, net.path, net.description], [
    "lab-42",
    "/run/ipn/lab",
    'cost: $5, "quoted", tab\there',
  ]);
  assertEquals([tap.name, tap.network, tap.addresses], ["lab0", "lab-42", ["10.42.0.1/24"]]);
});

Deno.test("keywords are names too", () => {
  const p = plan('network switch {\n  path "/s"\n  tap port\n}\n');
  assertEquals(p.resources.map((r) => `${r.kind}:${r.name}`), ["network:switch", "tap:port"]);
});

Deno.test("backend and its override", () => {
  assertEquals(plan("backend user\n").backend, "user");
  assertEquals(plan("backend kernel\n").backend, "kernel");
  assertEquals(plan("").backend, "auto");
  const r = parseSource("backend kernel\n", "t.ipn", { backendOverride: "user" });
  assertEquals(r.plan?.backend, "user");
});

Deno.test("host blocks apply only to their host", () => {
  const src = `
network common {
  path "/c"
}
host alpha {
  network a {
    path "/a"
  }
}
host beta {
  network b {
    path "/b"
  }
  endpoint e {
    ipn network b
  }
}
host alpha {
  bind x {
    when env ND
  }
}`;
  const names = (h: string) => plan(src, h).resources.map((r) => r.name);
  assertEquals(names("alpha"), ["a", "common", "x"]);
  assertEquals(names("beta"), ["b", "common", "e"]);
  assertEquals(plan(src, "alpha").host, "alpha");
  const other = parseSource(src, "t.ipn", { host: "gamma" });
  assertEquals(other.plan?.resources.map((r) => r.name), ["common"]);
  assertEquals(other.diagnostics.map((d) => d.code), ["unknown-host"]);
  assertEquals(other.hosts, ["alpha", "beta"]);
});

Deno.test("resources are sorted by kind then name; the plan is deterministic", () => {
  const src = `
endpoint z {
  inet 10.0.0.1 port 1
}
bind b {
  when env ND
}
network m {
  path "/m"
  tap t2
  tap t1
}
network a {
  path "/a"
}`;
  const p = plan(src);
  assertEquals(p.resources.map((r) => `${r.kind}:${r.name}`), [
    "network:a",
    "network:m",
    "tap:t1",
    "tap:t2",
    "bind:b",
    "endpoint:z",
  ]);
  assertEquals(JSON.stringify(plan(src)), JSON.stringify(p));
});

Deno.test("warnings do not block the plan; errors do", () => {
  const w = parseSource('let x = "1"\nnetwork a {\n  path "/a"\n}\n', "t.ipn");
  assertEquals(w.diagnostics.map((d) => d.code), ["unused-variable"]);
  assert(w.plan);
  const e = parseSource('network a {\n  path "a"\n}\n', "t.ipn");
  assertEquals(e.plan, undefined);
});
