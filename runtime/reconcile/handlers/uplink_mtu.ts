/**
 * Plan-time MTU check of uplinks. A network's `mtu` is a frame size (its
 * Ethernet header included); VXLAN wraps each frame in outer Ethernet, IP,
 * UDP and VXLAN headers: 50 bytes over IPv4, 70 over IPv6. The frame fits
 * when mtu + overhead <= underlay MTU + 14 (the underlay's own Ethernet
 * header), i.e. the outer IP packet fits the underlay's MTU.
 *
 * @module
 */
import type { Network, Uplink } from "../../../dsl/schema.ts";
import { linkByName, localAddresses, routeDevice } from "../vxlan.ts";
import type { Ctx } from "./handler.ts";

/** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
export const VXLAN_OVERHEAD = 50;
/** The same over IPv6 (a 40-byte IP header). */
export const VXLAN6_OVERHEAD = 70;

/** Bytes VXLAN adds to a frame for this uplink's address family. */
export function vxlanHeadroom(u: Uplink): number {
  const peer = u.group ?? u.remote[0] ?? "";
  return peer.includes(":") ? VXLAN6_OVERHEAD : VXLAN_OVERHEAD;
}

/** `file:line:col: uplink NAME` (the location when known), to start messages with. */
export function describe(u: Uplink): string {
  return `${u.source ? `${u.source}: ` : ""}uplink ${u.name}`;
}

/** The network's frame size as the plan wants it, else as it runs. */
async function frameSize(ctx: Ctx, u: Uplink): Promise<number | undefined> {
  const want = ctx.refs?.get("network")?.get(u.network) as Network | undefined;
  if (want) return want.mtu;
  return (await ctx.dp.netGet(u.network))?.config.mtu;
}

/** Underlay interfaces an uplink's packets leave by; peers without a route are reported. */
function underlays(u: Uplink, noRoute: string[]): string[] {
  if (u.dev) return [u.dev];
  const local = localAddresses();
  const devs = new Set<string>();
  for (const r of u.remote) {
    if (local.has(r)) continue;
    const dev = routeDevice(r);
    if (dev) devs.add(dev);
    else noRoute.push(r);
  }
  return [...devs].sort();
}

/** Warnings for uplinks whose frames do not fit their underlay, each saying what to do. */
export async function uplinkMtuWarnings(ctx: Ctx, rs: Uplink[]): Promise<string[]> {
  const out: string[] = [];
  for (const u of rs) {
    const where = `${describe(u)} of network ${u.network}`;
    const noRoute: string[] = [];
    const devs = underlays(u, noRoute);
    if (noRoute.length) out.push(`${where}: no route to peer ${noRoute.join(", ")} on this host`);
    const frame = await frameSize(ctx, u);
    if (frame === undefined) continue;
    const head = vxlanHeadroom(u);
    for (const dev of devs) {
      const mtu = linkByName(dev)?.mtu;
      if (mtu === undefined || frame + head <= mtu + 14) continue;
      const need = frame + head - 14;
      const fate = u.dev
        ? "larger frames are dropped at the uplink"
        : "larger frames are sent fragmented";
      out.push(
        `${where}: frames of up to ${frame} bytes (the network's mtu) need ${need}-byte packets on the ` +
          `underlay ${dev}, whose MTU is ${mtu}; ${fate}. Raise ${dev}'s MTU to ${need} or more, or lower ` +
          `the network's mtu to ${mtu + 14 - head} (and its taps' mtu to ${mtu - head})`,
      );
    }
  }
  return out;
}
