/**
 * The Plan: what a `.ipn` file declares, as typed, versioned, sorted data.
 *
 * This zod schema is the one source of truth for the Plan. The DSL produces
 * it, `ipnctl plan` diffs it, the daemon reconciles it, and
 * `docs/plan.schema.json` is generated from it. Every resource is flat and
 * identified by `(kind, name)`; children name their parent (`network`).
 *
 * @module
 */
import { z } from "zod";

/** Version of the Plan format; bump on incompatible changes. */
export const PLAN_VERSION = 1;

/** Linux interface names: 1..15 bytes, no '/', ':' or whitespace. */
export const IfName = z.string().regex(/^[^\s/:]{1,15}$/, "interface name of 1 to 15 bytes");

/** An inclusive range of ports (UDP/TCP ports or switch ports). */
export const Range = z.object({ from: z.number().int(), to: z.number().int() });
export type Range = z.infer<typeof Range>;

/** An address with prefix length, e.g. `10.0.0.1/24` or `fd00::1/64`. */
export const Cidr = z.string().min(1);

/** A user or group: a name to resolve at apply time, or a numeric id. */
export const Principal = z.union([z.string().min(1), z.number().int().nonnegative()]);

/** Access to a network, as IPN defines it: r receive, w send, x manage. */
export const Access = z.object({
  owner: Principal,
  group: Principal,
  /** Permission bits, 0..0o777 (the file mode of the network's socket). */
  mode: z.number().int().min(0).max(0o777),
});
export type Access = z.infer<typeof Access>;

/** A fixed-width unsigned integer field inside a message. */
export const Field = z.object({
  type: z.enum(["u8", "u16", "u32", "u64"]),
  /** Byte offset from the start of the message. */
  offset: z.number().int().nonnegative(),
  /** Byte order of the field; network order unless written `le`. */
  order: z.enum(["be", "le"]),
});
export type Field = z.infer<typeof Field>;

/** Untagged (access) membership of switch ports in a VLAN. */
export const VlanPorts = z.object({
  vlan: z.number().int().min(1).max(4094),
  ports: z.array(Range),
});

/** Tagged (trunk) ports carrying several VLANs. */
export const Trunk = z.object({
  ports: z.array(Range),
  vlans: z.array(Range),
});

/** Delivery policy of a network. */
export const Policy = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hub") }),
  z.object({
    kind: z.literal("switch"),
    vlans: z.array(VlanPorts),
    trunks: z.array(Trunk),
    /** Seconds a learned MAC address stays in the table. */
    ageing: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal("concast"),
    /** Messages with equal key belong to the same flow and are merged. */
    key: Field,
    merge: z.object({
      fn: z.enum(["count", "sum", "min", "max", "first", "last", "dedup"]),
      /**
       * The field merged: required for sum, min and max; for count, where the
       * count is written back (output `message` needs it); absent for first,
       * last and dedup.
       */
      field: Field.optional(),
    }),
    /** A flow is done after `count` messages or `timeoutMs` after its first. */
    done: z.object({
      count: z.number().int().positive().optional(),
      timeoutMs: z.number().int().positive().optional(),
    }),
    /** `message`: the first message with the merged value written back; `summary`: key, count, value. */
    output: z.enum(["message", "summary"]),
    /** Port that receives merged messages; absent: every member that may receive. */
    receiver: z.number().int().positive().optional(),
  }),
]);
export type Policy = z.infer<typeof Policy>;

const Base = {
  name: z.string().min(1),
  /** Where it was declared, `file:line:col`, for messages about it. */
  source: z.string().optional(),
};

/** A bus that processes, VMs and interfaces join by path. */
export const Network = z.object({
  kind: z.literal("network"),
  ...Base,
  /** Absolute filesystem path of the network (its socket), normalised (no `//`, `.`, trailing `/`). */
  path: z.string().startsWith("/"),
  policy: Policy,
  /** Maximum number of ports (members). */
  ports: z.number().int().min(1).max(65535),
  /** Largest message in bytes. */
  mtu: z.number().int().min(64).max(9216),
  /** Per-port queue depth in messages. */
  queue: z.number().int().min(1).max(65536),
  /** `lossy`: drop and count when a queue is full; `lossless`: hold senders back. */
  delivery: z.enum(["lossy", "lossless"]),
  /** Keep the network when its last member leaves. */
  persistent: z.boolean(),
  access: Access,
  description: z.string().optional(),
});
export type Network = z.infer<typeof Network>;

/** A tap interface whose traffic is the network's. */
export const Tap = z.object({
  kind: z.literal("tap"),
  ...Base,
  name: IfName,
  network: z.string().min(1),
  /** Switch port to attach at; absent: the first free port. */
  port: z.number().int().positive().optional(),
  addresses: z.array(Cidr),
  mtu: z.number().int().min(68).max(9216).optional(),
  /** Bring the interface up (default true). */
  up: z.boolean(),
});
export type Tap = z.infer<typeof Tap>;

/** An existing interface attached to the network, bridge-style. */
export const Grab = z.object({
  kind: z.literal("grab"),
  ...Base,
  name: IfName,
  network: z.string().min(1),
  port: z.number().int().positive().optional(),
});
export type Grab = z.infer<typeof Grab>;

/** A VXLAN device that extends a network to other hosts. */
export const Uplink = z.object({
  kind: z.literal("uplink"),
  ...Base,
  /** The VXLAN interface's name (the language defaults it to `ipnvx<vni>`). */
  name: IfName,
  network: z.string().min(1),
  type: z.literal("vxlan"),
  vni: z.number().int().min(0).max(16777215),
  /** Multicast group for peer discovery (exclusive with `remote`). */
  group: z.string().optional(),
  /** Static unicast peers. */
  remote: z.array(z.string()),
  /** Underlay interface. */
  dev: IfName.optional(),
  port: z.number().int().min(1).max(65535),
  ttl: z.number().int().min(1).max(255).optional(),
});
export type Uplink = z.infer<typeof Uplink>;

/** Re-projection of multicast UDP as unicast to another interface (seed 001). */
export const Rewrite = z.object({
  kind: z.literal("rewrite"),
  ...Base,
  /** Interface the multicast arrives on. */
  from: IfName,
  match: z.object({
    proto: z.literal("udp"),
    /** IPv4 multicast group range, canonical with its prefix, e.g. `239.0.0.0/8`. */
    group: Cidr,
    /** UDP destination ports; empty: every port. */
    ports: z.array(Range),
  }),
  /** Interface whose MAC and IPv4 address become the destination. */
  to: IfName,
  /** Destination address; absent: the primary IPv4 address of `to`. */
  address: z.string().optional(),
});
export type Rewrite = z.infer<typeof Rewrite>;

/** An exception to a bind policy: traffic that keeps its normal route. */
export const BindException = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("port"),
    proto: z.enum(["tcp", "udp", "any"]),
    ports: z.array(Range),
  }),
  z.object({ kind: z.literal("loopback") }),
  z.object({ kind: z.literal("unix") }),
  z.object({ kind: z.literal("address"), cidr: Cidr }),
]);
export type BindException = z.infer<typeof BindException>;

/** Per-process device binding (seed 003). */
export const Bind = z.object({
  kind: z.literal("bind"),
  ...Base,
  /** Environment variable naming the device (`ND` in the seed). */
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  /** Fixed device, used by `ipnctl exec --policy NAME`. */
  device: IfName.optional(),
  except: z.array(BindException),
});
export type Bind = z.infer<typeof Bind>;

/** One address of an endpoint, in the order the library tries them. */
export const EndpointAddress = z.discriminatedUnion("family", [
  z.object({
    family: z.literal("inet"),
    address: z.string(),
    port: z.number().int().min(1).max(65535),
  }),
  z.object({
    family: z.literal("inet6"),
    address: z.string(),
    port: z.number().int().min(1).max(65535),
  }),
  z.object({ family: z.literal("ipn"), path: z.string().startsWith("/") }),
]);
export type EndpointAddress = z.infer<typeof EndpointAddress>;

/** One name over several families (seed 002). */
export const Endpoint = z.object({
  kind: z.literal("endpoint"),
  ...Base,
  addresses: z.array(EndpointAddress).min(1),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** Any resource of a Plan. */
export const Resource = z.discriminatedUnion("kind", [
  Network,
  Tap,
  Grab,
  Uplink,
  Rewrite,
  Bind,
  Endpoint,
]);
export type Resource = z.infer<typeof Resource>;
export type ResourceKind = Resource["kind"];

/** Kinds in dependency order: a resource may only depend on earlier kinds. */
export const KIND_ORDER: readonly ResourceKind[] = [
  "network",
  "tap",
  "grab",
  "uplink",
  "rewrite",
  "bind",
  "endpoint",
];

/** The whole Plan, as produced by the DSL from a file. */
export const Plan = z.object({
  version: z.literal(PLAN_VERSION),
  /** Backend the file asks for: `auto` picks the kernel module when loaded. */
  backend: z.enum(["auto", "user", "kernel"]),
  /** The host this plan was built for, when the file has `host` blocks. */
  host: z.string().optional(),
  /** Sorted by kind (KIND_ORDER) then name. */
  resources: z.array(Resource),
});
export type Plan = z.infer<typeof Plan>;

/** Order resources deterministically: by kind (dependency order), then name. */
export function compareResources(a: Resource, b: Resource): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The JSON Schema of the Plan, for tools outside Deno. */
export function planJsonSchema(): unknown {
  return z.toJSONSchema(Plan);
}
