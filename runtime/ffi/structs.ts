/**
 * Encode and decode libipn's structs with DataView, at the offsets of
 * layout.ts. libipn's structs are in host byte order; Linux hosts Deno runs
 * on (x86-64, arm64) are little-endian.
 *
 * @module
 */
import { C, LAYOUT, off } from "./layout.ts";
import {
  type ConcastSpec,
  DROP_REASONS,
  type FieldSpec,
  type Flow,
  type IfInfo,
  MergeFn,
  type NetConfig,
  type NetInfo,
  type PortInfo,
  PortKind,
  type PortVlan,
  type Stats,
} from "./types.ts";

const LE = true;
const enc = new TextEncoder();
const dec = new TextDecoder();

function putStr(b: Uint8Array, at: number, cap: number, s: string): void {
  const bytes = enc.encode(s);
  if (bytes.length >= cap) throw new RangeError(`'${s}' does not fit ${cap - 1} bytes`);
  b.set(bytes, at);
}

function getStr(b: Uint8Array, at: number, cap: number): string {
  const s = b.subarray(at, at + cap);
  const nul = s.indexOf(0);
  return dec.decode(nul < 0 ? s : s.subarray(0, nul));
}

const FIELD_TYPES = {
  u8: C.IPN_FIELD_U8,
  u16: C.IPN_FIELD_U16,
  u32: C.IPN_FIELD_U32,
  u64: C.IPN_FIELD_U64,
};
const TYPE_NAMES = ["", "u8", "u16", "u32", "u64"] as const;
const POLICIES = {
  hub: C.IPN_POLICY_HUB,
  switch: C.IPN_POLICY_SWITCH,
  concast: C.IPN_POLICY_CONCAST,
};

function fieldType(f: FieldSpec | undefined): number {
  if (!f) return 0;
  return FIELD_TYPES[f.type] | (f.order === "le" ? C.IPN_FIELD_LE : 0);
}

function fieldSpec(type: number, offset: number): FieldSpec | undefined {
  const name = TYPE_NAMES[type & ~C.IPN_FIELD_LE];
  if (!name) return undefined;
  return { type: name, offset, order: type & C.IPN_FIELD_LE ? "le" : "be" };
}

function encodeConcast(v: DataView, base: number, s: ConcastSpec): void {
  const o = (f: keyof typeof LAYOUT.ipn_concast_spec.fields) => base + off("ipn_concast_spec", f);
  v.setUint16(o("key_type"), fieldType(s.key), LE);
  v.setUint16(o("key_offset"), s.key.offset, LE);
  v.setUint16(o("merge_fn"), MergeFn.options.indexOf(s.merge) + 1, LE);
  v.setUint16(o("value_type"), fieldType(s.value), LE);
  v.setUint16(o("value_offset"), s.value?.offset ?? 0, LE);
  v.setUint16(
    o("output"),
    s.output === "summary" ? C.IPN_CONCAST_OUT_SUMMARY : C.IPN_CONCAST_OUT_MESSAGE,
    LE,
  );
  v.setUint32(o("done_count"), s.doneCount, LE);
  v.setUint32(o("done_timeout_ms"), s.doneTimeoutMs, LE);
  v.setInt32(o("receiver_port"), s.receiverPort, LE);
}

function decodeConcast(v: DataView, base: number): ConcastSpec | undefined {
  const o = (f: keyof typeof LAYOUT.ipn_concast_spec.fields) => base + off("ipn_concast_spec", f);
  const fn = v.getUint16(o("merge_fn"), LE);
  const key = fieldSpec(v.getUint16(o("key_type"), LE), v.getUint16(o("key_offset"), LE));
  if (!fn || !key) return undefined;
  return {
    key,
    merge: MergeFn.options[fn - 1],
    value: fieldSpec(v.getUint16(o("value_type"), LE), v.getUint16(o("value_offset"), LE)),
    doneCount: v.getUint32(o("done_count"), LE),
    doneTimeoutMs: v.getUint32(o("done_timeout_ms"), LE),
    output: v.getUint16(o("output"), LE) === C.IPN_CONCAST_OUT_SUMMARY ? "summary" : "message",
    receiverPort: v.getInt32(o("receiver_port"), LE),
  };
}

type CfgField = keyof typeof LAYOUT.ipn_net_config.fields;

/** struct ipn_net_config from a validated NetConfig. */
export function encodeNetConfig(c: NetConfig): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(LAYOUT.ipn_net_config.size);
  const v = new DataView(b.buffer);
  const o = (f: CfgField) => off("ipn_net_config", f);
  const u32 = (f: CfgField, x: number) => v.setUint32(o(f), x, LE);
  u32("size", LAYOUT.ipn_net_config.size);
  u32("policy", POLICIES[c.policy]);
  u32("max_ports", c.maxPorts);
  u32("mtu", c.mtu);
  u32("queue", c.queue);
  u32("flags", (c.lossless ? C.IPN_NET_LOSSLESS : 0) | (c.persistent ? C.IPN_NET_PERSISTENT : 0));
  u32("uid", c.uid);
  u32("gid", c.gid);
  u32("mode", c.mode);
  u32("ageing_s", c.ageingS);
  if (c.policy === "concast") {
    if (!c.concast) throw new RangeError("a concast network needs a concast spec");
    encodeConcast(v, o("concast"), c.concast);
  }
  putStr(b, o("name"), C.IPN_NAME_MAX, c.name);
  putStr(b, o("path"), C.IPN_PATH_MAX, c.path);
  putStr(b, o("owner"), 32, c.owner);
  return b;
}

/** NetConfig from struct ipn_net_config at `base`. */
export function decodeNetConfig(b: Uint8Array, base = 0): NetConfig {
  const v = new DataView(b.buffer, b.byteOffset);
  const o = (f: CfgField) => base + off("ipn_net_config", f);
  const u32 = (f: CfgField) => v.getUint32(o(f), LE);
  const policy = (["hub", "switch", "concast"] as const)[u32("policy") - 1];
  const flags = u32("flags");
  return {
    name: getStr(b, o("name"), C.IPN_NAME_MAX),
    path: getStr(b, o("path"), C.IPN_PATH_MAX),
    policy,
    maxPorts: u32("max_ports"),
    mtu: u32("mtu"),
    queue: u32("queue"),
    lossless: (flags & C.IPN_NET_LOSSLESS) !== 0,
    persistent: (flags & C.IPN_NET_PERSISTENT) !== 0,
    uid: u32("uid"),
    gid: u32("gid"),
    mode: u32("mode"),
    ageingS: u32("ageing_s"),
    concast: policy === "concast" ? decodeConcast(v, o("concast")) : undefined,
    owner: getStr(b, o("owner"), 32),
  };
}

/** Stats from struct ipn_stats at `base`. */
export function decodeStats(b: Uint8Array, base = 0): Stats {
  const v = new DataView(b.buffer, b.byteOffset);
  const u64 = (at: number) => Number(v.getBigUint64(base + at, LE));
  const drops = {} as Stats["drops"];
  DROP_REASONS.forEach((r, i) => drops[r] = u64(off("ipn_stats", "drops") + 8 * i));
  return {
    rxFrames: u64(off("ipn_stats", "rx_frames")),
    rxBytes: u64(off("ipn_stats", "rx_bytes")),
    txFrames: u64(off("ipn_stats", "tx_frames")),
    txBytes: u64(off("ipn_stats", "tx_bytes")),
    drops,
  };
}

/** NetInfo from struct ipn_net_info at `base`. */
export function decodeNetInfo(b: Uint8Array, base = 0): NetInfo {
  const v = new DataView(b.buffer, b.byteOffset);
  const o = (f: keyof typeof LAYOUT.ipn_net_info.fields) => base + off("ipn_net_info", f);
  return {
    config: decodeNetConfig(b, o("cfg")),
    members: v.getUint32(o("members"), LE),
    attachments: v.getUint32(o("attachments"), LE),
    flows: v.getUint32(o("flows"), LE),
    stats: decodeStats(b, o("stats")),
  };
}

/** PortInfo from struct ipn_port_info at `base`. */
export function decodePortInfo(b: Uint8Array, base = 0): PortInfo {
  const v = new DataView(b.buffer, b.byteOffset);
  const o = (f: keyof typeof LAYOUT.ipn_port_info.fields) => base + off("ipn_port_info", f);
  const r = v.getUint32(o("rights"), LE);
  return {
    port: v.getUint32(o("port"), LE),
    kind: PortKind.options[v.getUint32(o("kind"), LE) - 1],
    rights: {
      read: (r & C.IPN_RIGHT_READ) !== 0,
      write: (r & C.IPN_RIGHT_WRITE) !== 0,
      exec: (r & C.IPN_RIGHT_EXEC) !== 0,
    },
    pid: v.getInt32(o("pid"), LE),
    uid: v.getUint32(o("uid"), LE),
    gid: v.getUint32(o("gid"), LE),
    ifname: getStr(b, o("ifname"), C.IPN_IFNAME_MAX),
    descr: getStr(b, o("descr"), 64),
    stats: decodeStats(b, o("stats")),
  };
}

/** struct ipn_port_vlan from a validated PortVlan. */
export function encodePortVlan(p: PortVlan): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(LAYOUT.ipn_port_vlan.size);
  const v = new DataView(b.buffer);
  v.setUint32(off("ipn_port_vlan", "port"), p.port, LE);
  v.setUint16(off("ipn_port_vlan", "pvid"), p.pvid, LE);
  const t = off("ipn_port_vlan", "trunk");
  for (const vid of p.trunk) b[t + (vid >> 3)] |= 1 << (vid & 7);
  return b;
}

/** PortVlan from struct ipn_port_vlan. */
export function decodePortVlan(b: Uint8Array, base = 0): PortVlan {
  const v = new DataView(b.buffer, b.byteOffset);
  const t = base + off("ipn_port_vlan", "trunk");
  const trunk: number[] = [];
  for (let vid = 1; vid <= C.IPN_VLAN_MAX; vid++) {
    if (b[t + (vid >> 3)] & (1 << (vid & 7))) trunk.push(vid);
  }
  return {
    port: v.getUint32(base + off("ipn_port_vlan", "port"), LE),
    pvid: v.getUint16(base + off("ipn_port_vlan", "pvid"), LE),
    trunk,
  };
}

/** struct ipn_flow from a validated Flow. */
export function encodeFlow(f: Flow): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(LAYOUT.ipn_flow.size);
  const v = new DataView(b.buffer);
  v.setBigUint64(off("ipn_flow", "key"), f.key, LE);
  v.setBigUint64(off("ipn_flow", "value"), f.value, LE);
  v.setUint32(off("ipn_flow", "count"), f.count, LE);
  v.setUint32(off("ipn_flow", "expect"), f.expect, LE);
  v.setUint32(off("ipn_flow", "flags"), f.open ? C.IPN_FLOW_OPEN : 0, LE);
  return b;
}

/** Flow from struct ipn_flow at `base`. */
export function decodeFlow(b: Uint8Array, base = 0): Flow {
  const v = new DataView(b.buffer, b.byteOffset);
  const o = (f: keyof typeof LAYOUT.ipn_flow.fields) => base + off("ipn_flow", f);
  return {
    key: v.getBigUint64(o("key"), LE),
    value: v.getBigUint64(o("value"), LE),
    count: v.getUint32(o("count"), LE),
    expect: v.getUint32(o("expect"), LE),
    ageMs: Number(v.getBigUint64(o("age_ms"), LE)),
    open: (v.getUint32(o("flags"), LE) & C.IPN_FLOW_OPEN) !== 0,
  };
}

/** IfInfo from struct ipn_if_info. */
export function decodeIfInfo(b: Uint8Array): IfInfo {
  const v = new DataView(b.buffer, b.byteOffset);
  const o = (f: keyof typeof LAYOUT.ipn_if_info.fields) => off("ipn_if_info", f);
  const flags = v.getUint32(o("flags"), LE);
  const mac = Array.from(
    b.subarray(o("mac"), o("mac") + 6),
    (x) => x.toString(16).padStart(2, "0"),
  );
  return {
    index: v.getInt32(o("index"), LE),
    flags,
    up: (flags & 1) !== 0,
    mtu: v.getUint32(o("mtu"), LE),
    mac: mac.join(":"),
    kind: getStr(b, o("kind"), 16),
  };
}

/** A concast summary message (struct ipn_concast_summary, network order). */
export function decodeSummary(b: Uint8Array): { key: bigint; value: bigint; count: number } {
  if (b.length < LAYOUT.ipn_concast_summary.size) throw new RangeError("short concast summary");
  const v = new DataView(b.buffer, b.byteOffset);
  return {
    key: v.getBigUint64(off("ipn_concast_summary", "key"), false),
    value: v.getBigUint64(off("ipn_concast_summary", "value"), false),
    count: v.getUint32(off("ipn_concast_summary", "count"), false),
  };
}
