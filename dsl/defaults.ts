/**
 * Defaults for what a file leaves out. One table, used by the Plan builder
 * and the checks, and documented in docs/language.md.
 *
 * @module
 */

export const DEFAULTS = {
  backend: "auto",
  policy: "hub",
  /** Maximum members of a network. */
  ports: 32,
  /** Bytes: an Ethernet frame of 1500 bytes of payload plus its 14-byte header. */
  mtu: 1514,
  /** Messages queued per member. */
  queue: 64,
  delivery: "lossy",
  /** A declared network lives until the file stops declaring it. */
  persistent: true,
  owner: "root",
  group: "root",
  mode: 0o660,
  /** Seconds a learned MAC address stays in a switch's table. */
  ageing: 300,
  output: "message",
  /** IANA's VXLAN port. */
  vxlanPort: 4789,
  /** The MTU Linux gives a new tap interface. */
  tapMtu: 1500,
} as const;

/** Bytes an Ethernet header adds to an interface's MTU on the wire. */
export const ETHERNET_HEADER = 14;

/** Longest socket path: sizeof(sockaddr_un.sun_path) less the final NUL. */
export const PATH_MAX_BYTES = 107;

/** Name of an uplink's VXLAN device when the file does not give one (at most 13 bytes). */
export function uplinkIfName(vni: number): string {
  return `ipnvx${vni}`;
}

/** Width in bytes of a field type. */
export const FIELD_WIDTH = { u8: 1, u16: 2, u32: 4, u64: 8 } as const;
