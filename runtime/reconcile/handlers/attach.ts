/**
 * Taps and grabs: interfaces attached to our networks. Both are found by
 * walking the ports of the networks we own.
 *
 * @module
 */
import type { Grab, Tap } from "../../../dsl/schema.ts";
import type { PortInfo } from "../dataplane.ts";
import { type Ctx, type Handler, managed, type Refs } from "./handler.ts";

type Attached = { net: string; port: PortInfo };

function attached(ctx: Ctx, kind: "tap" | "grab", nets?: string[]): Attached[] {
  const names = nets ?? ctx.dp.netList().filter((n) => n.config.owner === ctx.owner).map((n) => n.config.name);
  const out: Attached[] = [];
  for (const net of names) {
    const info = ctx.dp.netGet(net);
    if (!info || info.config.owner !== ctx.owner) continue;
    for (const port of ctx.dp.portList(net)) if (port.kind === kind) out.push({ net, port });
  }
  return out;
}

function findOne(ctx: Ctx, kind: "tap" | "grab", name: string, hint?: string): Attached | undefined {
  if (hint) {
    const hit = attached(ctx, kind, [hint]).find((a) => a.port.ifname === name);
    if (hit) return hit;
  }
  return attached(ctx, kind).find((a) => a.port.ifname === name);
}

/** Addresses as ipn manages them: without the kernel's own link-local ones. */
function liveAddresses(ctx: Ctx, ifname: string): string[] {
  return ctx.dp.ifAddrs(ifname).filter((a) => !a.toLowerCase().startsWith("fe80:")).sort();
}

/** The tap as it is; undefined when its interface was deleted by hand. */
function tapOf(ctx: Ctx, a: Attached, ref: Tap | undefined): Tap | undefined {
  const info = ctx.dp.ifInfo(a.port.ifname);
  if (!info) return undefined;
  const t: Tap = {
    kind: "tap",
    name: a.port.ifname,
    network: a.net,
    port: a.port.port,
    addresses: liveAddresses(ctx, a.port.ifname),
    mtu: info.mtu,
    up: info.up,
  };
  return managed(t, ref, ["port", "mtu"]);
}

function setAddresses(ctx: Ctx, ifname: string, want: string[], have: string[]) {
  for (const a of have) if (!want.includes(a)) ctx.dp.ifAddrDel(ifname, a);
  for (const a of want) if (!have.includes(a)) ctx.dp.ifAddrAdd(ifname, a);
}

export const tapHandler: Handler<Tap> = {
  kind: "tap",
  observe(ctx, refs: Refs<Tap>) {
    return attached(ctx, "tap").map((a) => tapOf(ctx, a, refs.get(a.port.ifname))).filter((t): t is Tap => t !== undefined);
  },
  observeOne(ctx, name, ref) {
    const a = findOne(ctx, "tap", name, ref?.network);
    return a ? tapOf(ctx, a, ref) : undefined;
  },
  create(ctx, t) {
    // A port whose interface was deleted by hand is detached first.
    if (findOne(ctx, "tap", t.name, t.network)) ctx.dp.attachDel(t.network, t.name);
    ctx.dp.tapAdd(t.network, t.name, t.port ?? -1);
    try {
      ctx.dp.ifSet(t.name, t.up ? 1 : 0, t.mtu ?? -1);
      setAddresses(ctx, t.name, t.addresses, []);
    } catch (e) {
      ctx.dp.attachDel(t.network, t.name);
      throw e;
    }
  },
  update(ctx, before, after) {
    if (before.mtu !== after.mtu || before.up !== after.up) {
      ctx.dp.ifSet(after.name, after.up ? 1 : 0, after.mtu ?? -1);
    }
    setAddresses(ctx, after.name, after.addresses, liveAddresses(ctx, after.name));
  },
  delete(ctx, t) {
    ctx.dp.attachDel(t.network, t.name);
  },
  canonical(t) {
    return { ...t, addresses: [...t.addresses].sort() };
  },
};

function grabOf(a: Attached, ref: Grab | undefined): Grab {
  return managed({ kind: "grab", name: a.port.ifname, network: a.net, port: a.port.port }, ref, ["port"]);
}

export const grabHandler: Handler<Grab> = {
  kind: "grab",
  observe(ctx, refs: Refs<Grab>) {
    return attached(ctx, "grab").map((a) => grabOf(a, refs.get(a.port.ifname)));
  },
  observeOne(ctx, name, ref) {
    const a = findOne(ctx, "grab", name, ref?.network);
    return a ? grabOf(a, ref) : undefined;
  },
  create(ctx, g) {
    if (!ctx.dp.ifInfo(g.name)) throw new Error(`interface ${g.name} does not exist`);
    ctx.dp.grabAdd(g.network, g.name, g.port ?? -1);
  },
  update(ctx, before, after) {
    // Only immutable attributes exist besides the name: a change is a replacement.
    this.delete(ctx, before);
    this.create(ctx, after);
  },
  delete(ctx, g) {
    ctx.dp.attachDel(g.network, g.name);
  },
  canonical(g) {
    return g;
  },
};
