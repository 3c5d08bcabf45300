/**
 * Taps and grabs: interfaces attached to our networks. Both are found by
 * walking the ports of the networks we own.
 *
 * @module
 */
import type { Grab, Tap } from "../../../dsl/schema.ts";
import type { PortInfo } from "../dataplane.ts";
import { type Ctx, type Handler, managed, type Refs } from "./handler.ts";
import { uplinkDevices } from "./uplink.ts";

type Attached = { net: string; port: PortInfo };

async function attached(ctx: Ctx, kind: "tap" | "grab", nets?: string[]): Promise<Attached[]> {
  const names = nets ??
    (await ctx.dp.netList()).filter((n) => n.config.owner === ctx.owner).map((n) => n.config.name);
  const out: Attached[] = [];
  for (const net of names) {
    const info = await ctx.dp.netGet(net);
    if (!info || info.config.owner !== ctx.owner) continue;
    for (const port of await ctx.dp.portList(net)) if (port.kind === kind) out.push({ net, port });
  }
  return out;
}

async function findOne(ctx: Ctx, kind: "tap" | "grab", name: string, hint?: string) {
  if (hint) {
    const hit = (await attached(ctx, kind, [hint])).find((a) => a.port.ifname === name);
    if (hit) return hit;
  }
  return (await attached(ctx, kind)).find((a) => a.port.ifname === name);
}

/** Addresses as ipn manages them: without the kernel's own link-local ones. */
async function liveAddresses(ctx: Ctx, ifname: string): Promise<string[]> {
  return (await ctx.dp.ifAddrs(ifname)).filter((a) => !a.toLowerCase().startsWith("fe80:")).sort();
}

/** The tap as it is; undefined when its interface was deleted by hand. */
async function tapOf(ctx: Ctx, a: Attached, ref: Tap | undefined): Promise<Tap | undefined> {
  const info = await ctx.dp.ifInfo(a.port.ifname);
  if (!info) return undefined;
  const t: Tap = {
    kind: "tap",
    name: a.port.ifname,
    network: a.net,
    port: a.port.port,
    addresses: await liveAddresses(ctx, a.port.ifname),
    mtu: info.mtu,
    up: info.up,
  };
  return managed(t, ref, ["port", "mtu"]);
}

async function setAddresses(ctx: Ctx, ifname: string, want: string[], have: string[]) {
  for (const a of have) if (!want.includes(a)) await ctx.dp.ifAddrDel(ifname, a);
  for (const a of want) if (!have.includes(a)) await ctx.dp.ifAddrAdd(ifname, a);
}

export const tapHandler: Handler<Tap> = {
  kind: "tap",
  async observe(ctx, refs: Refs<Tap>) {
    const out: Tap[] = [];
    for (const a of await attached(ctx, "tap")) {
      const t = await tapOf(ctx, a, refs.get(a.port.ifname));
      if (t) out.push(t);
    }
    return out;
  },
  async observeOne(ctx, name, ref) {
    const a = await findOne(ctx, "tap", name, ref?.network);
    return a ? await tapOf(ctx, a, ref) : undefined;
  },
  async create(ctx, t) {
    // A port whose interface was deleted by hand is detached first.
    if (await findOne(ctx, "tap", t.name, t.network)) await ctx.dp.attachDel(t.network, t.name);
    await ctx.dp.tapAdd(t.network, t.name, t.port ?? -1);
    try {
      await ctx.dp.ifSet(t.name, { up: t.up, mtu: t.mtu });
      await setAddresses(ctx, t.name, t.addresses, []);
    } catch (e) {
      await ctx.dp.attachDel(t.network, t.name);
      throw e;
    }
  },
  async update(ctx, before, after) {
    if (before.mtu !== after.mtu || before.up !== after.up) {
      await ctx.dp.ifSet(after.name, { up: after.up, mtu: after.mtu });
    }
    await setAddresses(ctx, after.name, after.addresses, await liveAddresses(ctx, after.name));
  },
  async delete(ctx, t) {
    await ctx.dp.attachDel(t.network, t.name);
  },
  canonical(t) {
    return { ...t, addresses: [...t.addresses].sort() };
  },
};

/** Grabbed ports, less the VXLAN devices of uplinks (grabbed too, but theirs). */
async function grabs(ctx: Ctx): Promise<Attached[]> {
  const all = await attached(ctx, "grab");
  if (all.length === 0) return all;
  const uplinks = uplinkDevices();
  return all.filter((a) => !uplinks.has(a.port.ifname));
}

function grabOf(a: Attached, ref: Grab | undefined): Grab {
  return managed({ kind: "grab", name: a.port.ifname, network: a.net, port: a.port.port }, ref, [
    "port",
  ]);
}

export const grabHandler: Handler<Grab> = {
  kind: "grab",
  async observe(ctx, refs: Refs<Grab>) {
    return (await grabs(ctx)).map((a) => grabOf(a, refs.get(a.port.ifname)));
  },
  async observeOne(ctx, name, ref) {
    const a = await findOne(ctx, "grab", name, ref?.network);
    if (!a || uplinkDevices().has(name)) return undefined;
    return grabOf(a, ref);
  },
  async create(ctx, g) {
    if (!(await ctx.dp.ifInfo(g.name))) throw new Error(`interface ${g.name} does not exist`);
    await ctx.dp.grabAdd(g.network, g.name, g.port ?? -1);
  },
  async update(ctx, before, after) {
    // Only immutable attributes exist besides the name: a change is a replacement.
    await this.delete(ctx, before);
    await this.create(ctx, after);
  },
  async delete(ctx, g) {
    await ctx.dp.attachDel(g.network, g.name);
  },
  canonical(g) {
    return g;
  },
};
