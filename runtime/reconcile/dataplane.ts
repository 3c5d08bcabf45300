/**
 * What the reconciler needs from a data plane. libipn (runtime/ffi/) provides
 * it for both backends through {@link openLibipn}; the reconciler stays on
 * this narrow, backend-neutral interface. Types are the bindings' own.
 *
 * @module
 */
import type {
  IfInfo,
  NetConfigInput,
  NetInfo,
  PortInfo,
  PortVlan,
  PortVlanInput,
} from "../ffi/mod.ts";

export type { IfInfo, NetConfigInput, NetInfo, PortInfo, PortVlan, PortVlanInput };

/** The operations the reconciler performs; errors are thrown. */
export interface Dataplane {
  readonly backend: "user" | "kernel";
  netList(): Promise<NetInfo[]>;
  /** undefined when no such network exists. */
  netGet(name: string): Promise<NetInfo | undefined>;
  netCreate(cfg: NetConfigInput): Promise<void>;
  netUpdate(cfg: NetConfigInput): Promise<void>;
  netDestroy(name: string): Promise<void>;
  vlanSet(net: string, v: PortVlanInput): Promise<void>;
  vlanGet(net: string, port: number): Promise<PortVlan>;
  portList(net: string): Promise<PortInfo[]>;
  tapAdd(net: string, ifname: string, port: number): Promise<number>;
  grabAdd(net: string, ifname: string, port: number): Promise<number>;
  attachDel(net: string, ifname: string): Promise<void>;
  /** undefined when no such interface exists. */
  ifInfo(ifname: string): Promise<IfInfo | undefined>;
  ifSet(ifname: string, opts: { up?: boolean; mtu?: number }): Promise<void>;
  ifAddrAdd(ifname: string, cidr: string): Promise<void>;
  ifAddrDel(ifname: string, cidr: string): Promise<void>;
  ifAddrs(ifname: string): Promise<string[]>;
  close(): Promise<void>;
}
