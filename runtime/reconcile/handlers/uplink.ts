/**
 * Uplinks: a VXLAN device (the kernel's own tunnel engine) grabbed onto the
 * network, so members on several hosts share one broadcast domain. Owned
 * devices carry the alias `ipn:uplink:<network>`; no other device is touched.
 *
 * One peer list serves every host of a fleet: addresses of this host in
 * `remote` are skipped (a device sending to itself would loop frames back),
 * and observation counts them as present.
 *
 * @module
 */
import type { Uplink } from "../../../dsl/schema.ts";
import {
  createVxlan,
  deleteLink,
  fdbPeers,
  type Link,
  linkByName,
  localAddresses,
  setFdbPeers,
  setLink,
  vxlanLinks,
} from "../vxlan.ts";
import { dropGuard, guardUnsafe, hasGuard, setGuard } from "../uplink_guard.ts";
import { type Ctx, type Handler, managed, type Refs } from "./handler.ts";
import { describe, uplinkMtuWarnings, vxlanHeadroom } from "./uplink_mtu.ts";

const ALIAS = "ipn:uplink:";

function owned(l: Link | undefined): l is Link {
  return !!l?.ifalias?.startsWith(ALIAS) && l.linkinfo?.info_kind === "vxlan";
}

/** Names of the VXLAN devices ipn owns (grab observation leaves them to uplinks). */
export function uplinkDevices(): Set<string> {
  return new Set(vxlanLinks().filter(owned).map((l) => l.ifname));
}

/** The peers to program: the wanted ones that are not this host. */
function peersOf(u: Uplink, local: Set<string>): string[] {
  return u.remote.filter((r) => !local.has(r));
}

function uplinkOf(l: Link, ref: Uplink | undefined, local: () => Set<string>): Uplink {
  const d = l.linkinfo?.info_data ?? {};
  let remote: string[] = [];
  if (!d.group) {
    const self = ref?.remote.filter((r) => local().has(r)) ?? [];
    remote = [...new Set([...fdbPeers(l.ifname), ...self])].sort();
  }
  const u: Uplink = {
    kind: "uplink",
    name: l.ifname,
    network: l.ifalias!.slice(ALIAS.length),
    type: "vxlan",
    vni: d.id ?? 0,
    group: d.group,
    remote,
    dev: d.link,
    port: d.port ?? 4789,
    ttl: d.ttl || undefined,
  };
  return managed(u, ref, ["group", "dev", "ttl"]);
}

/**
 * The user engine reads the device through a packet socket, which leaves
 * frames to the host's stack too: it needs the guard. The kernel module's
 * grab takes frames away from the stack itself (and the guard, which runs
 * first, would starve it).
 */
function guarded(ctx: Ctx): boolean {
  return ctx.dp.backend === "user";
}

/** An uplink is only whole while its device is attached to its network (and guarded). */
async function whole(ctx: Ctx, network: string, ifname: string): Promise<boolean> {
  if (!(await ctx.dp.netGet(network))) return false;
  const ports = await ctx.dp.portList(network);
  if (!ports.some((p) => p.kind === "grab" && p.ifname === ifname)) return false;
  return !guarded(ctx) || hasGuard(ifname);
}

/**
 * The device MTU: the network's largest frame less its Ethernet header. With
 * `dev` the kernel refuses more than the underlay carries, so it is capped
 * there (the plan warned); without, larger packets leave fragmented.
 */
async function deviceMtu(ctx: Ctx, u: Uplink): Promise<number> {
  const net = await ctx.dp.netGet(u.network);
  let mtu = (net?.config.mtu ?? 1514) - 14;
  const under = u.dev ? linkByName(u.dev)?.mtu : undefined;
  if (under !== undefined) mtu = Math.min(mtu, under - vxlanHeadroom(u));
  return Math.max(68, mtu);
}

async function detach(ctx: Ctx, u: Uplink): Promise<void> {
  try {
    await ctx.dp.attachDel(u.network, u.name);
  } catch { /* not attached (any more) */ }
}

export const uplinkHandler: Handler<Uplink> = {
  kind: "uplink",
  async observe(ctx, refs: Refs<Uplink>) {
    let local: Set<string> | undefined;
    const out: Uplink[] = [];
    for (const l of vxlanLinks().filter(owned)) {
      const u = uplinkOf(l, refs.get(l.ifname), () => local ??= localAddresses());
      if (await whole(ctx, u.network, u.name)) out.push(u);
    }
    return out;
  },
  async observeOne(ctx, name, ref) {
    const l = linkByName(name);
    if (!owned(l)) return undefined;
    const u = uplinkOf(l, ref, localAddresses);
    return (await whole(ctx, u.network, name)) ? u : undefined;
  },
  async create(ctx, u) {
    const existing = linkByName(u.name);
    if (existing && !owned(existing)) {
      throw new Error(`interface ${u.name} exists and was not created by ipn`);
    }
    if (existing) {
      // Ours but detached (after a crash, or its network was replaced): start clean.
      await detach(ctx, { ...u, network: existing.ifalias!.slice(ALIAS.length) });
      deleteLink(u.name);
    }
    // A port left by a device deleted by hand would hold the name.
    await detach(ctx, u);
    createVxlan(u);
    try {
      setFdbPeers(u.name, peersOf(u, localAddresses()), []);
      setLink(u.name, { alias: ALIAS + u.network, mtu: await deviceMtu(ctx, u) });
      if (guarded(ctx)) setGuard(u.name);
      setLink(u.name, { up: true });
      await ctx.dp.grabAdd(u.network, u.name, -1);
    } catch (e) {
      deleteLink(u.name);
      try {
        dropGuard(u.name);
      } catch { /* the first error is the one to report */ }
      throw e;
    }
  },
  update(_ctx, before, after) {
    // Only the static peers change in place; everything else is a replacement.
    if (before.remote.join() !== after.remote.join()) {
      setFdbPeers(after.name, peersOf(after, localAddresses()), fdbPeers(after.name));
    }
  },
  async delete(ctx, u) {
    await detach(ctx, u);
    if (owned(linkByName(u.name))) deleteLink(u.name);
    dropGuard(u.name);
  },
  canonical(u) {
    return { ...u, remote: [...new Set(u.remote)].sort() };
  },
  problems(_ctx, rs) {
    const out: string[] = [];
    for (const u of rs) {
      const unsafe = guardUnsafe(u.name);
      if (unsafe) out.push(`${describe(u)}: ${unsafe}`);
      if (u.dev && !linkByName(u.dev)) {
        out.push(`${describe(u)}: the underlay interface ${u.dev} does not exist`);
      }
    }
    return out;
  },
  warnings(ctx, rs) {
    return uplinkMtuWarnings(ctx, rs);
  },
};
