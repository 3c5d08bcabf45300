/**
 * The one place where the C structs of libipn's ABI are laid out for
 * TypeScript: size of each struct, offset and size of each field, and the
 * ABI's numbers. tests/runtime/ffi/layout_test.ts checks every entry against
 * what the C compiler says (build/tests/ipn-layout).
 *
 * @module
 */

/** A field: [byte offset, byte size]. */
export type FieldLayout = readonly [number, number];

/** A struct: total size and its fields. */
export interface StructLayout {
  readonly size: number;
  readonly fields: Readonly<Record<string, FieldLayout>>;
}

/** Struct layouts, named as in C. */
export const LAYOUT = {
  ipn_concast_spec: {
    size: 32,
    fields: {
      key_type: [0, 2],
      key_offset: [2, 2],
      merge_fn: [4, 2],
      value_type: [6, 2],
      value_offset: [8, 2],
      output: [10, 2],
      done_count: [12, 4],
      done_timeout_ms: [16, 4],
      receiver_port: [20, 4],
      reserved: [24, 8],
    },
  },
  ipn_flow: {
    size: 40,
    fields: {
      key: [0, 8],
      value: [8, 8],
      count: [16, 4],
      expect: [20, 4],
      age_ms: [24, 8],
      flags: [32, 4],
      reserved: [36, 4],
    },
  },
  ipn_concast_summary: {
    size: 24,
    fields: { key: [0, 8], value: [8, 8], count: [16, 4], reserved: [20, 4] },
  },
  ipn_stats: {
    size: 160,
    fields: {
      rx_frames: [0, 8],
      rx_bytes: [8, 8],
      tx_frames: [16, 8],
      tx_bytes: [24, 8],
      drops: [32, 128],
    },
  },
  ipn_port_vlan: {
    size: 520,
    fields: { port: [0, 4], pvid: [4, 2], reserved: [6, 2], trunk: [8, 512] },
  },
  ipn_net_config: {
    size: 276,
    fields: {
      size: [0, 4],
      policy: [4, 4],
      max_ports: [8, 4],
      mtu: [12, 4],
      queue: [16, 4],
      flags: [20, 4],
      uid: [24, 4],
      gid: [28, 4],
      mode: [32, 4],
      ageing_s: [36, 4],
      concast: [40, 32],
      name: [72, 64],
      path: [136, 108],
      owner: [244, 32],
    },
  },
  ipn_net_info: {
    size: 456,
    fields: {
      cfg: [0, 276],
      members: [276, 4],
      attachments: [280, 4],
      flows: [284, 4],
      reserved: [288, 8],
      stats: [296, 160],
    },
  },
  ipn_port_info: {
    size: 264,
    fields: {
      port: [0, 4],
      kind: [4, 4],
      rights: [8, 4],
      pid: [12, 4],
      uid: [16, 4],
      gid: [20, 4],
      ifname: [24, 16],
      descr: [40, 64],
      stats: [104, 160],
    },
  },
  ipn_if_info: {
    size: 36,
    fields: {
      index: [0, 4],
      flags: [4, 4],
      mtu: [8, 4],
      mac: [12, 6],
      reserved: [18, 2],
      kind: [20, 16],
    },
  },
} as const satisfies Record<string, StructLayout>;

/** The ABI's numbers (kmod/include/uapi/linux/ipn.h and include/ipn.h). */
export const C = {
  IPN_ABI_VERSION: 1,
  IPN_BACKEND_AUTO: 0,
  IPN_BACKEND_USER: 1,
  IPN_BACKEND_KERNEL: 2,
  IPN_POLICY_HUB: 1,
  IPN_POLICY_SWITCH: 2,
  IPN_POLICY_CONCAST: 3,
  IPN_NET_LOSSLESS: 1,
  IPN_NET_PERSISTENT: 2,
  IPN_MTU_MIN: 64,
  IPN_MTU_MAX: 9216,
  IPN_PORTS_MAX: 65535,
  IPN_QUEUE_MAX: 65536,
  IPN_VLAN_MAX: 4094,
  IPN_NAME_MAX: 64,
  IPN_PATH_MAX: 108,
  IPN_IFNAME_MAX: 16,
  IPN_RIGHT_READ: 4,
  IPN_RIGHT_WRITE: 2,
  IPN_RIGHT_EXEC: 1,
  IPN_FIELD_U8: 1,
  IPN_FIELD_U16: 2,
  IPN_FIELD_U32: 3,
  IPN_FIELD_U64: 4,
  IPN_FIELD_LE: 128,
  IPN_MERGE_COUNT: 1,
  IPN_MERGE_SUM: 2,
  IPN_MERGE_MIN: 3,
  IPN_MERGE_MAX: 4,
  IPN_MERGE_FIRST: 5,
  IPN_MERGE_LAST: 6,
  IPN_MERGE_DEDUP: 7,
  IPN_CONCAST_OUT_MESSAGE: 1,
  IPN_CONCAST_OUT_SUMMARY: 2,
  IPN_FLOW_OPEN: 1,
  IPN_DROP_QUEUE_FULL: 0,
  IPN_DROP_TOO_BIG: 1,
  IPN_DROP_TOO_SMALL: 2,
  IPN_DROP_NO_WRITE: 3,
  IPN_DROP_VLAN: 4,
  IPN_DROP_MALFORMED: 5,
  IPN_DROP_NO_ROUTE: 6,
  IPN_DROP_CONCAST: 7,
  IPN_DROP_REFUSED: 8,
  IPN_DROP_FLOWS: 9,
  IPN_DROP_MAX: 16,
  IPN_PORT_VDE: 1,
  IPN_PORT_NATIVE: 2,
  IPN_PORT_TAP: 3,
  IPN_PORT_GRAB: 4,
  IPN_JOIN_RDONLY: 1,
  IPN_JOIN_WRONLY: 2,
  IPN_JOIN_NONBLOCK: 4,
} as const;

/** Names of the struct layouts. */
export type StructName = keyof typeof LAYOUT;

/** Offset of `field` in `struct`. */
export function off<S extends StructName>(
  struct: S,
  field: keyof (typeof LAYOUT)[S]["fields"],
): number {
  const f = (LAYOUT[struct].fields as Record<string, FieldLayout>)[field as string];
  return f[0];
}

/** Byte size of `field` in `struct`. */
export function len<S extends StructName>(
  struct: S,
  field: keyof (typeof LAYOUT)[S]["fields"],
): number {
  const f = (LAYOUT[struct].fields as Record<string, FieldLayout>)[field as string];
  return f[1];
}
