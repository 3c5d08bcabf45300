/**
 * libipn's functions as Deno.dlopen sees them. Calls that may wait long
 * (starting the engine, joining, sending, receiving, shutting down) run on
 * Deno's blocking pool (`nonblocking`), so they never stall the event loop.
 * Control calls are one short round trip to the engine (tens of
 * microseconds, bounded by libipn's own timeout) and run inline: the
 * blocking pool would cost more than the call (about 80 us a call here).
 *
 * @module
 */

const wait = (parameters: Deno.NativeType[]) =>
  ({ parameters, result: "i32", nonblocking: true }) as const;
const ctl = (parameters: Deno.NativeType[]) => ({ parameters, result: "i32" }) as const;

/** The symbol table passed to Deno.dlopen. */
export const SYMBOLS = {
  ipn_abi_version: { parameters: [], result: "i32" },
  ipn_strerror: { parameters: ["i32"], result: "pointer" },
  ipn_open: wait(["u32", "buffer", "buffer"]),
  ipn_close: wait(["pointer"]),
  ipn_ctx_backend: { parameters: ["pointer"], result: "i32" },
  ipn_last_error: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  ipn_shutdown: wait(["pointer"]),
  ipn_net_create: ctl(["pointer", "buffer"]),
  ipn_net_update: ctl(["pointer", "buffer"]),
  ipn_net_destroy: ctl(["pointer", "buffer"]),
  ipn_net_list: ctl(["pointer", "buffer", "u32"]),
  ipn_net_get: ctl(["pointer", "buffer", "buffer"]),
  ipn_vlan_set: ctl(["pointer", "buffer", "buffer"]),
  ipn_vlan_get: ctl(["pointer", "buffer", "u32", "buffer"]),
  ipn_port_list: ctl(["pointer", "buffer", "buffer", "u32"]),
  ipn_tap_add: ctl(["pointer", "buffer", "buffer", "i32"]),
  ipn_grab_add: ctl(["pointer", "buffer", "buffer", "i32"]),
  ipn_attach_del: ctl(["pointer", "buffer", "buffer"]),
  ipn_flow_list: ctl(["pointer", "buffer", "buffer", "u32"]),
  ipn_flow_get: ctl(["pointer", "buffer", "u64", "buffer"]),
  ipn_flow_set: ctl(["pointer", "buffer", "buffer"]),
  ipn_if_info: ctl(["buffer", "buffer"]),
  ipn_if_set: ctl(["buffer", "i32", "i32"]),
  ipn_if_addr_add: ctl(["buffer", "buffer"]),
  ipn_if_addr_del: ctl(["buffer", "buffer"]),
  ipn_if_addrs: ctl(["buffer", "buffer", "u32"]),
  ipn_join: wait(["buffer", "u32", "buffer"]),
  ipn_member_port: { parameters: ["pointer"], result: "i32" },
  ipn_member_rights: { parameters: ["pointer"], result: "i32" },
  ipn_member_mtu: { parameters: ["pointer"], result: "i32" },
  ipn_member_interrupt: { parameters: ["pointer"], result: "i32" },
  ipn_send: { parameters: ["pointer", "buffer", "usize"], result: "isize", nonblocking: true },
  ipn_recv: { parameters: ["pointer", "buffer", "usize"], result: "isize", nonblocking: true },
  ipn_leave: { parameters: ["pointer"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened library's functions. */
export type Ipn = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
