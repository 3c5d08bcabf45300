/**
 * Uplinks: a VXLAN device (the kernel's own tunnel engine) grabbed onto the
 * network, so members on several hosts share one broadcast domain. Owned
 * devices carry the alias `ipn:uplink:<network>`; no other device is touched.
 *
 * @module
 */
import type { Uplink } from "../../../dsl/schema.ts";
import { ipJson, ipRun } from "../iproute.ts";
import { type Handler, managed, type Refs } from "./handler.ts";

const ALIAS = "ipn:uplink:";
/** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
export const VXLAN_OVERHEAD = 50;
const ZERO_MAC = "00:00:00:00:00:00";

interface Link {
  ifname: string;
  ifalias?: string;
  mtu: number;
  flags: string[];
  linkinfo?: {
    info_kind?: string;
    info_data?: {
      id?: number;
      group?: string;
      remote?: string;
      link?: string;
      port?: number;
      ttl?: number;
    };
  };
}

function links(name?: string): Link[] {
  try {
    return ipJson<Link>("ip", [
      "-d",
      "link",
      "show",
      ...(name ? ["dev", name] : ["type", "vxlan"]),
    ]);
  } catch (e) {
    if (name && /does not exist|Cannot find device/.test((e as Error).message)) return [];
    throw e;
  }
}

function remotes(name: string): string[] {
  const fdb = ipJson<{ mac: string; dst?: string }>("bridge", ["fdb", "show", "dev", name]);
  return fdb.filter((e) => e.mac === ZERO_MAC && e.dst).map((e) => e.dst!).sort();
}

function uplinkOf(l: Link, ref: Uplink | undefined): Uplink | undefined {
  if (!l.ifalias?.startsWith(ALIAS) || l.linkinfo?.info_kind !== "vxlan") return undefined;
  const d = l.linkinfo.info_data ?? {};
  const u: Uplink = {
    kind: "uplink",
    name: l.ifname,
    network: l.ifalias.slice(ALIAS.length),
    type: "vxlan",
    vni: d.id ?? 0,
    group: d.group,
    remote: d.group ? [] : remotes(l.ifname),
    dev: d.link,
    port: d.port ?? 4789,
    ttl: d.ttl || undefined,
  };
  return managed(u, ref, ["group", "dev", "ttl"]);
}

/** The underlay MTU an uplink rides on, when its device is known here. */
export function underlayMtu(dev: string | undefined): number | undefined {
  if (!dev) return undefined;
  return links(dev)[0]?.mtu;
}

export const uplinkHandler: Handler<Uplink> = {
  kind: "uplink",
  observe(_ctx, refs: Refs<Uplink>) {
    return links().map((l) => uplinkOf(l, refs.get(l.ifname))).filter((u): u is Uplink =>
      u !== undefined
    );
  },
  async observeOne(ctx, name, ref) {
    const l = links(name)[0];
    if (!l) return undefined;
    const u = uplinkOf(l, ref);
    if (!u) return undefined;
    // An uplink is only whole while it is attached to its network.
    const ports = (await ctx.dp.netGet(u.network)) ? await ctx.dp.portList(u.network) : [];
    return ports.some((p) => p.kind === "grab" && p.ifname === name) ? u : undefined;
  },
  async create(ctx, u) {
    const existing = links(u.name)[0];
    if (existing && !existing.ifalias?.startsWith(ALIAS)) {
      throw new Error(`interface ${u.name} exists and was not created by ipn`);
    }
    if (existing) {
      // Ours but detached (e.g. after a crash): start again from a clean device.
      ipRun("ip", ["link", "del", u.name]);
    }
    const args = [
      "link",
      "add",
      u.name,
      "type",
      "vxlan",
      "id",
      String(u.vni),
      "dstport",
      String(u.port),
    ];
    if (u.group) args.push("group", u.group);
    if (u.dev) args.push("dev", u.dev);
    if (u.ttl) args.push("ttl", String(u.ttl));
    ipRun("ip", args);
    try {
      for (const r of u.remote) {
        ipRun("bridge", ["fdb", "append", ZERO_MAC, "dev", u.name, "dst", r]);
      }
      ipRun("ip", ["link", "set", u.name, "alias", ALIAS + u.network]);
      const net = await ctx.dp.netGet(u.network);
      if (net) {
        // Carry the network's largest frame (mtu counts the Ethernet header).
        const mtu = Math.min(net.config.mtu - 14, 65535);
        ipRun("ip", ["link", "set", u.name, "mtu", String(Math.max(68, mtu))]);
      }
      ipRun("ip", ["link", "set", u.name, "up"]);
      await ctx.dp.grabAdd(u.network, u.name, -1);
    } catch (e) {
      ipRun("ip", ["link", "del", u.name]);
      throw e;
    }
  },
  async update(ctx, before, after) {
    // Every attribute of a VXLAN device is fixed at creation.
    await this.delete(ctx, before);
    await this.create(ctx, after);
  },
  async delete(ctx, u) {
    try {
      await ctx.dp.attachDel(u.network, u.name);
    } catch { /* not attached (any more) */ }
    const l = links(u.name)[0];
    if (l?.ifalias?.startsWith(ALIAS)) ipRun("ip", ["link", "del", u.name]);
  },
  canonical(u) {
    return { ...u, remote: [...u.remote].sort() };
  },
};
