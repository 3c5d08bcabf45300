/**
 * What the reconciler needs from a data plane, in the Plan's terms. The
 * libipn bindings (runtime/ffi/) provide it for both backends; keeping the
 * reconciler on this narrow interface keeps it readable and backend-neutral.
 *
 * @module
 */
import type { Policy } from "../../dsl/schema.ts";

/** Settings of one network as the data plane holds them. */
export interface NetConfig {
  name: string;
  path: string;
  policy: "hub" | "switch" | "concast";
  maxPorts: number;
  mtu: number;
  queue: number;
  lossless: boolean;
  persistent: boolean;
  uid: number;
  gid: number;
  mode: number;
  ageingSeconds: number;
  concast?: ConcastSpec;
  /** Owner tag: only networks tagged with ours are ever touched. */
  owner: string;
}

/** A concast merge spec in the Plan's terms; the bindings map it to uapi numbers. */
export type ConcastSpec = Omit<Extract<Policy, { kind: "concast" }>, "kind">;

/** Counters of a network or a port. */
export interface Stats {
  rxFrames: bigint;
  rxBytes: bigint;
  txFrames: bigint;
  txBytes: bigint;
  drops: bigint[];
}

export interface NetInfo {
  config: NetConfig;
  members: number;
  attachments: number;
  stats: Stats;
}

/** A member of a network. */
export interface PortInfo {
  port: number;
  kind: "vde" | "native" | "tap" | "grab" | "kernel" | "unknown";
  rights: number;
  pid: number;
  uid: number;
  gid: number;
  ifname: string;
  descr: string;
  stats: Stats;
}

/** Switch VLAN membership of one port: untagged VLAN and tagged VLANs. */
export interface PortVlan {
  port: number;
  pvid: number;
  trunk: number[];
}

export interface IfInfo {
  index: number;
  up: boolean;
  mtu: number;
  mac: string;
  kind: string;
}

/** The operations the reconciler performs; errors are thrown. */
export interface Dataplane {
  readonly backend: "user" | "kernel";
  netList(): NetInfo[];
  netGet(name: string): NetInfo | undefined;
  netCreate(cfg: NetConfig): void;
  netUpdate(cfg: NetConfig): void;
  netDestroy(name: string): void;
  vlanSet(net: string, v: PortVlan): void;
  vlanGet(net: string, port: number): PortVlan;
  portList(net: string): PortInfo[];
  tapAdd(net: string, ifname: string, port: number): void;
  grabAdd(net: string, ifname: string, port: number): void;
  attachDel(net: string, ifname: string): void;
  ifInfo(ifname: string): IfInfo | undefined;
  ifSet(ifname: string, up: number, mtu: number): void;
  ifAddrAdd(ifname: string, cidr: string): void;
  ifAddrDel(ifname: string, cidr: string): void;
  ifAddrs(ifname: string): string[];
  close(): void;
}
