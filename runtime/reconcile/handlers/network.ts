/**
 * Networks: the data plane's networks tagged with our owner tag.
 *
 * @module
 */
import type { Network, Policy, Range } from "../../../dsl/schema.ts";
import type { NetConfigInput, NetInfo, PortVlan } from "../dataplane.ts";
import { canonicalPrincipal, resolveId } from "../principal.ts";
import { type Ctx, type Handler, managed } from "./handler.ts";

type SwitchPolicy = Extract<Policy, { kind: "switch" }>;

/** VLAN every port is on when the plan says nothing else. */
export const DEFAULT_VLAN = 1;

function expand(ranges: Range[], limit: number): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let p = r.from; p <= Math.min(r.to, limit); p++) out.push(p);
  return out;
}

/** Collapse sorted numbers into ranges: 1,2,3,5 -> 1-3,5. */
export function toRanges(nums: number[]): Range[] {
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const out: Range[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last.to === n - 1) last.to = n;
    else out.push({ from: n, to: n });
  }
  return out;
}

/** Per-port VLAN settings a switch policy implies for ports 1..maxPorts. */
export function portVlans(policy: SwitchPolicy, maxPorts: number): PortVlan[] {
  const ports: PortVlan[] = [];
  for (let p = 1; p <= maxPorts; p++) ports.push({ port: p, pvid: DEFAULT_VLAN, trunk: [] });
  for (const v of policy.vlans) {
    for (const p of expand(v.ports, maxPorts)) ports[p - 1].pvid = v.vlan;
  }
  for (const t of policy.trunks) {
    const vlans = expand(t.vlans, 4094);
    for (const p of expand(t.ports, maxPorts)) {
      ports[p - 1].trunk = [...new Set([...ports[p - 1].trunk, ...vlans])].sort((a, b) => a - b);
    }
  }
  return ports;
}

/** The canonical switch policy for per-port settings (inverse of portVlans). */
export function switchFromPorts(ports: PortVlan[], ageing: number): SwitchPolicy {
  const byVlan = new Map<number, number[]>();
  const byTrunk = new Map<string, { ports: number[]; vlans: number[] }>();
  for (const p of ports) {
    if (p.pvid !== DEFAULT_VLAN) byVlan.set(p.pvid, [...(byVlan.get(p.pvid) ?? []), p.port]);
    if (p.trunk.length) {
      const key = p.trunk.join(",");
      const e = byTrunk.get(key) ?? { ports: [], vlans: p.trunk };
      e.ports.push(p.port);
      byTrunk.set(key, e);
    }
  }
  const vlans = [...byVlan.entries()].sort(([a], [b]) => a - b)
    .map(([vlan, ps]) => ({ vlan, ports: toRanges(ps) }));
  const trunks = [...byTrunk.values()].sort((a, b) => a.ports[0] - b.ports[0])
    .map((t) => ({ ports: toRanges(t.ports), vlans: toRanges(t.vlans) }));
  return { kind: "switch", vlans, trunks, ageing };
}

function canonicalPolicy(p: Policy, maxPorts: number): Policy {
  if (p.kind === "switch") return switchFromPorts(portVlans(p, maxPorts), p.ageing);
  return p;
}

type ConcastPolicy = Extract<Policy, { kind: "concast" }>;

/** The data plane's config for a network resource. */
export function toConfig(r: Network, owner: string): NetConfigInput {
  const uid = resolveId("user", r.access.owner);
  const gid = resolveId("group", r.access.group);
  if (uid === undefined) throw new Error(`network ${r.name}: unknown user '${r.access.owner}'`);
  if (gid === undefined) throw new Error(`network ${r.name}: unknown group '${r.access.group}'`);
  const p = r.policy;
  return {
    name: r.name,
    path: r.path,
    policy: p.kind,
    maxPorts: r.ports,
    mtu: r.mtu,
    queue: r.queue,
    lossless: r.delivery === "lossless",
    persistent: r.persistent,
    uid,
    gid,
    mode: r.access.mode,
    ageingS: p.kind === "switch" ? p.ageing : 300,
    concast: p.kind === "concast"
      ? {
        key: p.key,
        merge: p.merge.fn,
        value: p.merge.field,
        doneCount: p.done.count ?? 0,
        doneTimeoutMs: p.done.timeoutMs ?? 0,
        output: p.output,
        receiverPort: p.receiver ?? -1,
      }
      : undefined,
    owner,
  };
}

function concastOf(c: NonNullable<NetInfo["config"]["concast"]>): ConcastPolicy {
  const done: ConcastPolicy["done"] = {};
  if (c.doneCount) done.count = c.doneCount;
  if (c.doneTimeoutMs) done.timeoutMs = c.doneTimeoutMs;
  const merge: ConcastPolicy["merge"] = { fn: c.merge };
  if (c.value) merge.field = c.value;
  const out: ConcastPolicy = { kind: "concast", key: c.key, merge, done, output: c.output };
  if (c.receiverPort >= 0) out.receiver = c.receiverPort;
  return out;
}

async function fromInfo(ctx: Ctx, info: NetInfo, ref: Network | undefined): Promise<Network> {
  const c = info.config;
  let policy: Policy;
  if (c.policy === "switch") {
    const ports: PortVlan[] = [];
    for (let p = 1; p <= c.maxPorts; p++) ports.push(await ctx.dp.vlanGet(c.name, p));
    policy = switchFromPorts(ports, c.ageingS);
  } else if (c.policy === "concast" && c.concast) {
    policy = concastOf(c.concast);
  } else {
    policy = { kind: "hub" };
  }
  const r: Network = {
    kind: "network",
    name: c.name,
    path: c.path,
    policy,
    ports: c.maxPorts,
    mtu: c.mtu,
    queue: c.queue,
    delivery: c.lossless ? "lossless" : "lossy",
    persistent: c.persistent,
    access: {
      owner: canonicalPrincipal("user", c.uid),
      group: canonicalPrincipal("group", c.gid),
      mode: c.mode,
    },
    // Not held by the data plane: carried over from what we declared.
    description: ref?.description,
  };
  return managed(r, ref, ["description"]);
}

async function applyVlans(ctx: Ctx, r: Network, before?: Network) {
  if (r.policy.kind !== "switch") return;
  const want = portVlans(r.policy, r.ports);
  const had = before?.policy.kind === "switch" ? portVlans(before.policy, before.ports) : undefined;
  for (const v of want) {
    const old = had?.[v.port - 1];
    if (old && old.pvid === v.pvid && old.trunk.join() === v.trunk.join()) continue;
    // A fresh network starts with every port on the default VLAN, untagged.
    if (!had && v.pvid === DEFAULT_VLAN && v.trunk.length === 0) continue;
    await ctx.dp.vlanSet(r.name, v);
  }
}

export const networkHandler: Handler<Network> = {
  kind: "network",
  async observe(ctx, refs) {
    const out: Network[] = [];
    for (const n of await ctx.dp.netList()) {
      if (n.config.owner === ctx.owner) out.push(await fromInfo(ctx, n, refs.get(n.config.name)));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  },
  async observeOne(ctx, name, ref) {
    const info = await ctx.dp.netGet(name);
    if (!info || info.config.owner !== ctx.owner) return undefined;
    return await fromInfo(ctx, info, ref);
  },
  async create(ctx, r) {
    await ctx.dp.netCreate(toConfig(r, ctx.owner));
    await applyVlans(ctx, r);
  },
  async update(ctx, before, after) {
    await ctx.dp.netUpdate(toConfig(after, ctx.owner));
    await applyVlans(ctx, after, before);
  },
  async delete(ctx, r) {
    const info = await ctx.dp.netGet(r.name);
    if (!info) return;
    if (info.config.owner !== ctx.owner) {
      throw new Error(
        `network ${r.name} is not owned by ipn (owner '${info.config.owner}'); left alone`,
      );
    }
    await ctx.dp.netDestroy(r.name);
  },
  canonical(r) {
    return {
      ...r,
      policy: canonicalPolicy(r.policy, r.ports),
      access: {
        owner: canonicalPrincipal("user", r.access.owner),
        group: canonicalPrincipal("group", r.access.group),
        mode: r.access.mode,
      },
    };
  },
};
