/**
 * Typed bindings of libipn for Deno: open a control context on a backend,
 * manage and observe networks, ports, attachments, VLANs and concast flows,
 * configure interfaces, and join networks as a member.
 *
 * ```ts
 * const lib = Libipn.load();
 * const ctx = await lib.open("user", "/run/ipn");
 * await ctx.netCreate({ name: "lab", path: "/run/ipn/lab", policy: "switch" });
 * console.log(await ctx.netList());
 * ```
 *
 * Every failure throws IpnError (errno plus the engine's explanation); inputs
 * are validated with the zod schemas of types.ts before anything reaches C.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { IpnError } from "./errors.ts";
import { C, LAYOUT } from "./layout.ts";
import {
  decodeFlow,
  decodeIfInfo,
  decodeNetInfo,
  decodePortInfo,
  decodePortVlan,
  encodeFlow,
  encodeNetConfig,
  encodePortVlan,
} from "./structs.ts";
import { type Ipn, SYMBOLS } from "./symbols.ts";
import {
  Flow,
  type FlowInput,
  type IfInfo,
  NetConfig,
  type NetConfigInput,
  type NetInfo,
  type PortInfo,
  PortVlan,
  type PortVlanInput,
} from "./types.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A NUL-terminated C string. */
function cstr(s: string): Uint8Array<ArrayBuffer> {
  const b = enc.encode(s);
  if (b.includes(0)) throw new IpnError("argument", 22, `'${s}' contains a NUL byte`);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Validate with zod; a bad value becomes an IpnError (EINVAL) naming it. */
function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
  throw new IpnError(what, 22, why);
}

/** Where the library is: $IPN_LIB, else build/lib/libipn.so of this checkout. */
export function defaultLibraryPath(): string {
  return Deno.env.get("IPN_LIB") ??
    fileURLToPath(new URL("../../build/lib/libipn.so", import.meta.url));
}

/** Which backend to open: auto picks the kernel module when it is loaded. */
export type Backend = "auto" | "user" | "kernel";
const BACKENDS = {
  auto: C.IPN_BACKEND_AUTO,
  user: C.IPN_BACKEND_USER,
  kernel: C.IPN_BACKEND_KERNEL,
};

/** The loaded library. */
export class Libipn {
  private constructor(private readonly lib: Deno.DynamicLibrary<typeof SYMBOLS>) {}

  /** dlopen libipn and check its ABI version. */
  static load(path = defaultLibraryPath()): Libipn {
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new IpnError("load", 2, `cannot load ${path} (${why}); run 'make native'`);
    }
    const v = lib.symbols.ipn_abi_version();
    if (v !== C.IPN_ABI_VERSION) {
      lib.close();
      throw new IpnError(
        "load",
        71,
        `${path} has ABI version ${v}, these bindings ${C.IPN_ABI_VERSION}`,
      );
    }
    return new Libipn(lib);
  }

  /** The raw functions, for what the typed API does not cover. */
  get symbols(): Ipn {
    return this.lib.symbols;
  }

  /** Unload the library (close contexts and leave networks first). */
  close(): void {
    this.lib.close();
  }

  /** Text of an errno. */
  strerror(errno: number): string {
    const p = this.lib.symbols.ipn_strerror(errno);
    return p ? Deno.UnsafePointerView.getCString(p) : `error ${errno}`;
  }

  /** Throw for a negative result; `ctx` (or the last open) explains it. */
  check(op: string, rc: number | bigint, ctx: Deno.PointerValue | null = null): number {
    const n = Number(rc);
    if (n >= 0) return n;
    const buf = new Uint8Array(200);
    const len = this.lib.symbols.ipn_last_error(ctx, buf, buf.length);
    const detail = len > 0 ? dec.decode(buf.subarray(0, Math.min(len, buf.length - 1))) : "";
    throw new IpnError(op, -n, detail || this.strerror(-n));
  }

  /** Open a control context (the user backend starts the engine if needed). */
  async open(backend: Backend = "auto", rundir?: string): Promise<IpnContext> {
    const out = new BigUint64Array(1);
    const rc = await this.lib.symbols.ipn_open(
      BACKENDS[backend],
      rundir === undefined ? null : cstr(rundir),
      out,
    );
    this.check("open", rc, null);
    return new IpnContext(this, Deno.UnsafePointer.create(out[0]));
  }

  /** An interface of the caller's namespace, as rtnetlink reports it. */
  async ifInfo(ifname: string): Promise<IfInfo> {
    const buf = new Uint8Array(LAYOUT.ipn_if_info.size);
    this.check(`interface ${ifname}`, await this.lib.symbols.ipn_if_info(cstr(ifname), buf));
    return decodeIfInfo(buf);
  }

  /** Bring an interface up or down and/or set its MTU (undefined: leave). */
  async ifSet(ifname: string, opts: { up?: boolean; mtu?: number }): Promise<void> {
    const up = opts.up === undefined ? -1 : opts.up ? 1 : 0;
    this.check(
      `interface ${ifname}`,
      await this.lib.symbols.ipn_if_set(cstr(ifname), up, opts.mtu ?? -1),
    );
  }

  /** Add an address ("10.0.0.1/24", "fd00::1/64"). */
  async ifAddrAdd(ifname: string, cidr: string): Promise<void> {
    this.check(
      `add ${cidr} to ${ifname}`,
      await this.lib.symbols.ipn_if_addr_add(cstr(ifname), cstr(cidr)),
    );
  }

  /** Remove an address. */
  async ifAddrDel(ifname: string, cidr: string): Promise<void> {
    this.check(
      `remove ${cidr} from ${ifname}`,
      await this.lib.symbols.ipn_if_addr_del(cstr(ifname), cstr(cidr)),
    );
  }

  /** The interface's addresses, as "address/prefix". */
  async ifAddrs(ifname: string): Promise<string[]> {
    for (let cap = 4096;; cap *= 4) {
      const buf = new Uint8Array(cap);
      const rc = await this.lib.symbols.ipn_if_addrs(cstr(ifname), buf, cap);
      if (rc === -28 && cap < 1 << 22) continue; // ENOSPC: more room
      const n = this.check(`addresses of ${ifname}`, rc);
      return dec.decode(buf.subarray(0, n)).split("\n").filter((l) => l);
    }
  }

  /** Join the network at `path` as a native member (shared-memory rings). */
  async join(
    path: string,
    opts: { readOnly?: boolean; writeOnly?: boolean } = {},
  ): Promise<IpnMember> {
    const flags = (opts.readOnly ? C.IPN_JOIN_RDONLY : 0) |
      (opts.writeOnly ? C.IPN_JOIN_WRONLY : 0);
    const out = new BigUint64Array(1);
    const rc = await this.lib.symbols.ipn_join(cstr(path), flags, out);
    if (rc < 0) {
      const why = rc === -13
        ? "access denied: neither r nor w on this network"
        : rc === -16
        ? "no free port on this network"
        : this.strerror(-rc);
      throw new IpnError(`join ${path}`, -rc, why);
    }
    return new IpnMember(this, Deno.UnsafePointer.create(out[0]));
  }
}

/**
 * A control context. Calls run one at a time, in order, so each error's
 * explanation belongs to its own call.
 */
export class IpnContext {
  private queue: Promise<unknown> = Promise.resolve();
  private ptr: Deno.PointerValue | null;

  /** @internal */
  constructor(private readonly lib: Libipn, ptr: Deno.PointerValue) {
    this.ptr = ptr;
  }

  private run<T>(op: string, fn: (ptr: Deno.PointerValue, s: Ipn) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (!this.ptr) throw new IpnError(op, 9, "context closed");
      return fn(this.ptr, this.lib.symbols);
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private check(op: string, rc: number | bigint): number {
    return this.lib.check(op, rc, this.ptr);
  }

  /** "user" or "kernel": what the context drives. */
  get backend(): "user" | "kernel" {
    if (!this.ptr) throw new IpnError("backend", 9, "context closed");
    return this.lib.symbols.ipn_ctx_backend(this.ptr) === C.IPN_BACKEND_KERNEL ? "kernel" : "user";
  }

  /** Close the context; networks stay. */
  close(): Promise<void> {
    return this.run("close", async (p, s) => {
      this.ptr = null;
      await s.ipn_close(p);
    });
  }

  /** Stop the engine: every network is destroyed. */
  shutdown(): Promise<void> {
    return this.run("shutdown", async (p, s) => {
      this.check("shutdown", await s.ipn_shutdown(p));
    });
  }

  /** Create a network (needs root). */
  async netCreate(cfg: NetConfigInput): Promise<void> {
    const c = parse(NetConfig, cfg, "create network");
    const b = encodeNetConfig(c);
    return await this.run("create", async (p, s) => {
      this.check(`create network ${c.name}`, await s.ipn_net_create(p, b));
    });
  }

  /** Change a network's mutable settings (needs x on it). */
  async netUpdate(cfg: NetConfigInput): Promise<void> {
    const c = parse(NetConfig, cfg, "update network");
    const b = encodeNetConfig(c);
    return await this.run("update", async (p, s) => {
      this.check(`update network ${c.name}`, await s.ipn_net_update(p, b));
    });
  }

  /** Destroy a network: members are disconnected, taps deleted, grabs released. */
  netDestroy(name: string): Promise<void> {
    return this.run("destroy", async (p, s) => {
      this.check(`destroy network ${name}`, await s.ipn_net_destroy(p, cstr(name)));
    });
  }

  /** Every network the caller has a right on. */
  netList(): Promise<NetInfo[]> {
    const size = LAYOUT.ipn_net_info.size;
    return this.run("list", async (p, s) => {
      let room = 64;
      for (;;) {
        const buf = new Uint8Array(size * room);
        const n = this.check("list networks", await s.ipn_net_list(p, buf, room));
        if (n <= room) return Array.from({ length: n }, (_, i) => decodeNetInfo(buf, i * size));
        room = n + 16; // more appeared than fit: ask again with room
      }
    });
  }

  /** One network. */
  netGet(name: string): Promise<NetInfo> {
    return this.run("get", async (p, s) => {
      const buf = new Uint8Array(LAYOUT.ipn_net_info.size);
      this.check(`network ${name}`, await s.ipn_net_get(p, cstr(name), buf));
      return decodeNetInfo(buf);
    });
  }

  /** Set a switch port's VLANs. */
  async vlanSet(net: string, vlan: PortVlanInput): Promise<void> {
    const v = encodePortVlan(parse(PortVlan, vlan, `vlan of ${net}`));
    return await this.run("vlan", async (p, s) => {
      this.check(`vlan of ${net} port ${vlan.port}`, await s.ipn_vlan_set(p, cstr(net), v));
    });
  }

  /** A switch port's VLANs. */
  vlanGet(net: string, port: number): Promise<PortVlan> {
    return this.run("vlan", async (p, s) => {
      const buf = new Uint8Array(LAYOUT.ipn_port_vlan.size);
      this.check(`vlan of ${net} port ${port}`, await s.ipn_vlan_get(p, cstr(net), port, buf));
      return decodePortVlan(buf);
    });
  }

  /** The ports of a network: members, taps, grabs. */
  portList(net: string): Promise<PortInfo[]> {
    const size = LAYOUT.ipn_port_info.size;
    return this.run("ports", async (p, s) => {
      let room = 64;
      for (;;) {
        const buf = new Uint8Array(size * room);
        const n = this.check(`ports of ${net}`, await s.ipn_port_list(p, cstr(net), buf, room));
        if (n <= room) return Array.from({ length: n }, (_, i) => decodePortInfo(buf, i * size));
        room = n + 16;
      }
    });
  }

  /** Create tap `ifname` on `net`; returns its port. */
  tapAdd(net: string, ifname: string, port = -1): Promise<number> {
    return this.run(
      "tap",
      async (p, s) =>
        this.check(
          `tap ${ifname} on ${net}`,
          await s.ipn_tap_add(p, cstr(net), cstr(ifname), port),
        ),
    );
  }

  /** Attach the existing interface `ifname` to `net`; returns its port. */
  grabAdd(net: string, ifname: string, port = -1): Promise<number> {
    return this.run(
      "grab",
      async (p, s) =>
        this.check(
          `grab ${ifname} on ${net}`,
          await s.ipn_grab_add(p, cstr(net), cstr(ifname), port),
        ),
    );
  }

  /** Detach a tap (deleted) or grab (released). */
  attachDel(net: string, ifname: string): Promise<void> {
    return this.run("detach", async (p, s) => {
      this.check(
        `detach ${ifname} from ${net}`,
        await s.ipn_attach_del(p, cstr(net), cstr(ifname)),
      );
    });
  }

  /** Open flows of a concast network. */
  flowList(net: string): Promise<Flow[]> {
    const size = LAYOUT.ipn_flow.size;
    return this.run("flows", async (p, s) => {
      let room = 256;
      for (;;) {
        const buf = new Uint8Array(size * room);
        const n = this.check(`flows of ${net}`, await s.ipn_flow_list(p, cstr(net), buf, room));
        if (n <= room) return Array.from({ length: n }, (_, i) => decodeFlow(buf, i * size));
        room = n + 64;
      }
    });
  }

  /** One flow's state. */
  flowGet(net: string, key: bigint): Promise<Flow> {
    return this.run("flow", async (p, s) => {
      const buf = new Uint8Array(LAYOUT.ipn_flow.size);
      this.check(`flow ${key} of ${net}`, await s.ipn_flow_get(p, cstr(net), key, buf));
      return decodeFlow(buf);
    });
  }

  /** Set a flow's state; `open: false` closes it without output. */
  async flowSet(net: string, flow: FlowInput): Promise<void> {
    const f = parse(Flow, flow, `flow of ${net}`);
    const b = encodeFlow(f);
    return await this.run("flow", async (p, s) => {
      this.check(`flow ${f.key} of ${net}`, await s.ipn_flow_set(p, cstr(net), b));
    });
  }
}

const MEMBER_ERRORS: Record<number, string> = {
  1: "this member lacks the right (send-only or receive-only)",
  90: "frame larger than the network's MTU",
  104: "the engine dropped this member",
  125: "interrupted: the member is leaving",
};

/** A native member of a network. */
export class IpnMember {
  private ptr: Deno.PointerValue | null;
  private pending = new Set<Promise<unknown>>();

  private readonly s: Ipn;

  /** @internal */
  constructor(private readonly lib: Libipn, ptr: Deno.PointerValue) {
    this.s = lib.symbols;
    this.ptr = ptr;
  }

  private fail(op: string, errno: number): never {
    throw new IpnError(op, errno, MEMBER_ERRORS[errno] ?? this.lib.strerror(errno));
  }

  private live(op: string): Deno.PointerValue {
    if (!this.ptr) throw new IpnError(op, 9, "member left");
    return this.ptr;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    return p.finally(() => this.pending.delete(p));
  }

  /** The member's port. */
  get port(): number {
    return this.s.ipn_member_port(this.live("port"));
  }

  /** Rights granted (shut halves removed). */
  get rights(): { read: boolean; write: boolean } {
    const r = this.s.ipn_member_rights(this.live("rights"));
    return { read: (r & C.IPN_RIGHT_READ) !== 0, write: (r & C.IPN_RIGHT_WRITE) !== 0 };
  }

  /** Largest frame the network takes. */
  get mtu(): number {
    return this.s.ipn_member_mtu(this.live("mtu"));
  }

  /** Send one frame (waits while the ring is full). */
  async send(frame: Uint8Array<ArrayBuffer>): Promise<void> {
    const r = Number(
      await this.track(this.s.ipn_send(this.live("send"), frame, BigInt(frame.length))),
    );
    if (r < 0) this.fail("send", -r);
  }

  /** Receive one frame (waits until one comes). */
  async recv(cap = 9216): Promise<Uint8Array> {
    const buf = new Uint8Array(cap);
    const r = Number(await this.track(this.s.ipn_recv(this.live("recv"), buf, BigInt(cap))));
    if (r < 0) this.fail("recv", -r);
    return buf.subarray(0, r);
  }

  /** Leave the network; waiting send/recv calls fail with ECANCELED. */
  async leave(): Promise<void> {
    if (!this.ptr) return;
    this.s.ipn_member_interrupt(this.ptr);
    await Promise.allSettled([...this.pending]);
    this.s.ipn_leave(this.ptr);
    this.ptr = null;
  }
}
