/**
 * An uplink's VXLAN device belongs to its network alone. The engine reads it
 * through a packet socket, which does not take frames away from the host's
 * own stack: without a guard, the host would answer ARP for its addresses
 * on the device, take broadcasts twice (once through the network's tap, once
 * from the device) and learn neighbours there. The guard is an nftables
 * netdev ingress chain that drops everything the device receives; packet
 * sockets see each frame before that hook, so the network still gets it.
 *
 * One table per device, `netdev ipn_uplink_<ifname>`, marked as ipn's.
 *
 * @module
 */
import { nftApply, nftList } from "../policy/ffi.ts";
import { OWNER_COMMENT } from "../policy/rewrite_render.ts";

/** Device names nftables takes as part of a table name. */
const SAFE = /^[A-Za-z0-9_.-]+$/;

/** Why `ifname` cannot have a guard, or undefined when it can. */
export function guardUnsafe(ifname: string): string | undefined {
  return SAFE.test(ifname)
    ? undefined
    : "uplink device names use letters, digits, '_', '-' and '.' only";
}

function table(ifname: string): string {
  return `ipn_uplink_${ifname}`;
}

/** Install (or replace, in one transaction) the guard of `ifname`. */
export function setGuard(ifname: string): void {
  const t = table(ifname);
  const live = nftList("netdev", t);
  if (live !== undefined && !live.includes(`comment "${OWNER_COMMENT}"`)) {
    throw new Error(
      `nftables table netdev ${t} exists and is not managed by ipn; delete or rename it first`,
    );
  }
  const script = `table netdev ${t}\ndelete table netdev ${t}\n` +
    `table netdev ${t} {\n\tcomment "${OWNER_COMMENT}"\n\tchain ingress {\n` +
    `\t\ttype filter hook ingress device "${ifname}" priority filter; policy drop;\n\t}\n}\n`;
  const r = nftApply(script);
  if (r.rc < 0) throw new Error(`cannot guard ${ifname} with nftables: ${r.error}`);
}

/** Whether the guard of `ifname` is in place (ours, hooked to the device, dropping). */
export function hasGuard(ifname: string): boolean {
  const live = nftList("netdev", table(ifname));
  return live !== undefined && live.includes(`comment "${OWNER_COMMENT}"`) &&
    live.includes(`device "${ifname}"`) && live.includes("policy drop;");
}

/** Remove the guard of `ifname` if it is ours; a missing one is fine. */
export function dropGuard(ifname: string): void {
  const live = nftList("netdev", table(ifname));
  if (live === undefined || !live.includes(`comment "${OWNER_COMMENT}"`)) return;
  const r = nftApply(`delete table netdev ${table(ifname)}\n`);
  if (r.rc < 0) throw new Error(`cannot remove the nftables guard of ${ifname}: ${r.error}`);
}
