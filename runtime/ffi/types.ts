/**
 * Typed views of libipn's structs. Inputs are zod schemas (validated before
 * anything is encoded); outputs are the same shapes, decoded from C.
 *
 * @module
 */
import { z } from "zod";

/** Delivery policy of a network. */
export const PolicyName = z.enum(["hub", "switch", "concast"]);
export type PolicyName = z.infer<typeof PolicyName>;

/** A fixed-width unsigned field inside a message (network order unless `le`). */
export const FieldSpec = z.object({
  type: z.enum(["u8", "u16", "u32", "u64"]),
  offset: z.number().int().min(0).max(65535),
  order: z.enum(["be", "le"]).default("be"),
});
export type FieldSpec = z.infer<typeof FieldSpec>;

/** Concast merge functions. */
export const MergeFn = z.enum(["count", "sum", "min", "max", "first", "last", "dedup"]);
export type MergeFn = z.infer<typeof MergeFn>;

/** How a concast network merges (struct ipn_concast_spec). */
export const ConcastSpec = z.object({
  key: FieldSpec,
  merge: MergeFn,
  /** The merged field; needed by sum/min/max, optional for count/first/last. */
  value: FieldSpec.optional(),
  /** Flow done after this many messages; 0: no count. */
  doneCount: z.number().int().min(0).max(0xffffffff).default(0),
  /** Flow done this long after its first message; 0: no timeout. */
  doneTimeoutMs: z.number().int().min(0).max(0xffffffff).default(0),
  output: z.enum(["message", "summary"]).default("message"),
  /** Port that gets the merged messages; -1: every member that may receive. */
  receiverPort: z.number().int().min(-1).max(65535).default(-1),
});
export type ConcastSpec = z.infer<typeof ConcastSpec>;

const cString = (max: number) =>
  z.string().refine((s) => new TextEncoder().encode(s).length < max && !s.includes("\0"), {
    message: `at most ${max - 1} bytes, no NUL`,
  });

/** A network's settings (struct ipn_net_config). */
export const NetConfig = z.object({
  name: cString(64).pipe(z.string().min(1)),
  path: cString(108).pipe(z.string().startsWith("/")),
  policy: PolicyName,
  maxPorts: z.number().int().min(1).max(65535).default(32),
  mtu: z.number().int().min(64).max(9216).default(1514),
  queue: z.number().int().min(1).max(65536).default(256),
  lossless: z.boolean().default(false),
  persistent: z.boolean().default(false),
  uid: z.number().int().min(0).max(0xffffffff).default(0),
  gid: z.number().int().min(0).max(0xffffffff).default(0),
  mode: z.number().int().min(0).max(0o777).default(0o660),
  /** Switch: MAC table ageing in seconds (0: the engine's default, 300). */
  ageingS: z.number().int().min(0).max(1000000).default(300),
  concast: ConcastSpec.optional(),
  /** Who created it; the daemon only touches networks with its own tag. */
  owner: cString(32).default(""),
});
/** What NetConfig accepts (defaults applied on parse). */
export type NetConfigInput = z.input<typeof NetConfig>;
export type NetConfig = z.infer<typeof NetConfig>;

/** Why frames were dropped (struct ipn_stats drops[], by IPN_DROP_*). */
export const DROP_REASONS = [
  "queueFull",
  "tooBig",
  "tooSmall",
  "noWrite",
  "vlan",
  "malformed",
  "noRoute",
  "concast",
  "refused",
  "flows",
  "nomem",
] as const;
export const DropReason = z.enum(DROP_REASONS);
export type DropReason = z.infer<typeof DropReason>;

/** Counters (struct ipn_stats); exact below 2^53. */
export const Stats = z.object({
  rxFrames: z.number(),
  rxBytes: z.number(),
  txFrames: z.number(),
  txBytes: z.number(),
  drops: z.record(DropReason, z.number()),
});
export type Stats = z.infer<typeof Stats>;

/** A network as observed (struct ipn_net_info). */
export const NetInfo = z.object({
  config: NetConfig,
  members: z.number(),
  attachments: z.number(),
  flows: z.number(),
  stats: Stats,
});
export type NetInfo = z.infer<typeof NetInfo>;

/** IPN rights: r receive, w send, x manage. */
export const Rights = z.object({ read: z.boolean(), write: z.boolean(), exec: z.boolean() });
export type Rights = z.infer<typeof Rights>;

/** What kind of member holds a port. */
export const PortKind = z.enum(["vde", "native", "tap", "grab"]);
export type PortKind = z.infer<typeof PortKind>;

/** A port (struct ipn_port_info). */
export const PortInfo = z.object({
  port: z.number(),
  kind: PortKind,
  rights: Rights,
  pid: z.number(),
  uid: z.number(),
  gid: z.number(),
  ifname: z.string(),
  descr: z.string(),
  stats: Stats,
});
export type PortInfo = z.infer<typeof PortInfo>;

/** Switch VLAN membership of a port (struct ipn_port_vlan). */
export const PortVlan = z.object({
  port: z.number().int().min(1).max(65535),
  /** Untagged VLAN; 0: none (the port takes tagged frames only). */
  pvid: z.number().int().min(0).max(4094).default(1),
  /** Tagged VLANs. */
  trunk: z.array(z.number().int().min(1).max(4094)).default([]),
});
export type PortVlanInput = z.input<typeof PortVlan>;
export type PortVlan = z.infer<typeof PortVlan>;

/** Concast flow state of one key (struct ipn_flow). */
export const Flow = z.object({
  key: z.bigint().min(0n).max(0xffffffffffffffffn),
  value: z.bigint().min(0n).max(0xffffffffffffffffn).default(0n),
  count: z.number().int().min(0).max(0xffffffff).default(0),
  /** Done after this many messages; 0: the network's count. */
  expect: z.number().int().min(0).max(0xffffffff).default(0),
  /** Since the flow's first message (read only). */
  ageMs: z.number().default(0),
  /** false in ipn_flow_set: close the flow without output. */
  open: z.boolean().default(true),
});
export type FlowInput = z.input<typeof Flow>;
export type Flow = z.infer<typeof Flow>;

/** An interface as rtnetlink reports it (struct ipn_if_info). */
export const IfInfo = z.object({
  index: z.number(),
  flags: z.number(),
  up: z.boolean(),
  mtu: z.number(),
  mac: z.string(),
  kind: z.string(),
});
export type IfInfo = z.infer<typeof IfInfo>;
