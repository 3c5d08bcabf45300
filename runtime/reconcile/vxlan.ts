/**
 * The kernel's VXLAN devices through iproute2: read them, create them, keep
 * their static peer lists (all-zero MAC entries of the forwarding database,
 * which the kernel uses for head-end replication of broadcast and unknown
 * frames), and find the underlay a peer is reached through.
 *
 * @module
 */
import { ipJson, ipRun } from "./iproute.ts";

/** The all-zero MAC: fdb entries under it receive every broadcast and unknown frame. */
const ZERO_MAC = "00:00:00:00:00:00";

/** What `ip -d -j link show` says of a device, as far as we read it. */
export interface Link {
  ifname: string;
  ifalias?: string;
  mtu: number;
  flags: string[];
  linkinfo?: {
    info_kind?: string;
    info_data?: { id?: number; group?: string; link?: string; port?: number; ttl?: number };
  };
}

/** Settings a VXLAN device is created with (all fixed for its lifetime). */
export interface VxlanSpec {
  name: string;
  vni: number;
  port: number;
  group?: string;
  dev?: string;
  ttl?: number;
}

/** Every VXLAN device of this network namespace. */
export function vxlanLinks(): Link[] {
  return ipJson<Link>("ip", ["-d", "link", "show", "type", "vxlan"]);
}

/** One device by name, or undefined when there is none. */
export function linkByName(name: string): Link | undefined {
  try {
    return ipJson<Link>("ip", ["-d", "link", "show", "dev", name])[0];
  } catch (e) {
    if (/does not exist|Cannot find device/.test((e as Error).message)) return undefined;
    throw e;
  }
}

/** The static peers of a VXLAN device, sorted. */
export function fdbPeers(name: string): string[] {
  const fdb = ipJson<{ mac: string; dst?: string }>("bridge", ["fdb", "show", "dev", name]);
  return fdb.filter((e) => e.mac === ZERO_MAC && e.dst).map((e) => e.dst!).sort();
}

/** Make the static peers of `name` exactly `want`. */
export function setFdbPeers(name: string, want: string[], have: string[]): void {
  for (const r of have) {
    if (!want.includes(r)) ipRun("bridge", ["fdb", "del", ZERO_MAC, "dev", name, "dst", r]);
  }
  for (const r of want) {
    if (!have.includes(r)) ipRun("bridge", ["fdb", "append", ZERO_MAC, "dev", name, "dst", r]);
  }
}

/**
 * Create a VXLAN device, down, without an IPv6 link-local address (it is a
 * switch port: it must not speak on the network itself).
 */
export function createVxlan(s: VxlanSpec): void {
  const args = [
    "link",
    "add",
    s.name,
    "type",
    "vxlan",
    "id",
    String(s.vni),
    "dstport",
    String(s.port),
  ];
  if (s.group) args.push("group", s.group);
  if (s.dev) args.push("dev", s.dev);
  if (s.ttl) args.push("ttl", String(s.ttl));
  ipRun("ip", args);
  ipRun("ip", ["link", "set", s.name, "addrgenmode", "none"]);
}

export function deleteLink(name: string): void {
  ipRun("ip", ["link", "del", name]);
}

export function setLink(name: string, opts: { alias?: string; mtu?: number; up?: boolean }): void {
  const args = ["link", "set", name];
  if (opts.alias !== undefined) args.push("alias", opts.alias);
  if (opts.mtu !== undefined) args.push("mtu", String(opts.mtu));
  if (opts.up !== undefined) args.push(opts.up ? "up" : "down");
  ipRun("ip", args);
}

/** The interface traffic to `address` leaves by, or undefined without a route. */
export function routeDevice(address: string): string | undefined {
  try {
    return ipJson<{ dev?: string }>("ip", ["route", "get", address])[0]?.dev;
  } catch {
    return undefined;
  }
}

/** Every address configured in this namespace (any interface, without prefix). */
export function localAddresses(): Set<string> {
  const out = new Set<string>();
  const links = ipJson<{ addr_info?: { local?: string }[] }>("ip", ["addr", "show"]);
  for (const l of links) for (const a of l.addr_info ?? []) if (a.local) out.add(a.local);
  return out;
}
