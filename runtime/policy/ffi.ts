/**
 * Deno FFI bindings for libipn's policy functions (native/libipn/include/ipn.h,
 * section "policies"): nftables transactions and interface facts.
 *
 * The library is libipn (`build/lib/libipn.so` of this checkout, or the file
 * named by `IPN_LIB`). It is opened on first use.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** A failure to report to the user as one line. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

const SYMBOLS = {
  ipn_nft_apply: { parameters: ["buffer", "u32", "buffer", "u32"], result: "i32" },
  ipn_nft_list: { parameters: ["buffer", "buffer", "buffer", "u32"], result: "i32" },
  ipn_policy_if_probe: { parameters: ["buffer", "buffer"], result: "i32" },
  ipn_bind_policy_check: { parameters: ["buffer", "buffer", "u32"], result: "i32" },
} as const;

/** `IPN_NFT_CHECK`: validate only, change nothing. */
export const NFT_CHECK = 1;

/** Paths of this checkout's native build output. */
export function buildPath(rel: string): string {
  return fileURLToPath(new URL(`../../build/${rel}`, import.meta.url));
}

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function native(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  if (!lib) {
    const path = Deno.env.get("IPN_LIB") ?? buildPath("lib/libipn.so");
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new PolicyError(`cannot load ${path} (run 'make native'): ${why}`);
    }
  }
  return lib.symbols;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A NUL-terminated C string. */
export function cstr(s: string): Uint8Array<ArrayBuffer> {
  const b = enc.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** The C string at the start of `buf` (up to its first NUL). */
export function fromCstr(buf: Uint8Array, offset = 0, max = buf.length - offset): string {
  const view = buf.subarray(offset, offset + max);
  const end = view.indexOf(0);
  return dec.decode(end < 0 ? view : view.subarray(0, end));
}

const ERRNO: Record<number, string> = {
  1: "operation not permitted",
  2: "no such file or directory",
  12: "out of memory",
  13: "permission denied",
  16: "device or resource busy",
  17: "already exists",
  19: "no such device",
  22: "invalid argument",
  74: "malformed data",
  75: "value too large",
  110: "timed out",
  111: "connection refused",
};

/** A negative errno as text. */
export function errnoText(rc: number): string {
  return ERRNO[-rc] ?? `error ${-rc}`;
}

/** Run an nftables script as one transaction; returns nft's message on failure. */
export function nftApply(script: string, flags = 0): { rc: number; error: string } {
  const err = new Uint8Array(8192);
  const rc = native().ipn_nft_apply(cstr(script), flags, err, err.length);
  return { rc, error: fromCstr(err).trim() };
}

/** `nft list table FAMILY NAME`, or undefined when the table does not exist. */
export function nftList(family: string, table: string): string | undefined {
  let cap = 65536;
  for (;;) {
    const buf = new Uint8Array(cap);
    const rc = native().ipn_nft_list(cstr(family), cstr(table), buf, cap);
    if (rc === -2) return undefined;
    if (rc < 0 && fromCstr(buf)) throw new PolicyError(fromCstr(buf));
    if (rc < 0) {
      throw new PolicyError(`cannot list nftables table ${family} ${table}: ${errnoText(rc)}`);
    }
    if (rc < cap) return fromCstr(buf);
    cap = rc + 1;
  }
}

/** What a rewrite needs to know about an interface. */
export interface IfFacts {
  name: string;
  index: number;
  /** ARPHRD_ETHER: frames carry an Ethernet header. */
  ethernet: boolean;
  /** Link-layer address, `aa:bb:cc:dd:ee:ff`; absent on tun and similar. */
  mac?: string;
  /** Primary IPv4 address; absent when the interface has none. */
  ipv4?: string;
}

const IF_SIZE = 44;

/** Facts about `name` in this process's network namespace, or undefined when it does not exist. */
export function probeInterface(name: string): IfFacts | undefined {
  const buf = new Uint8Array(IF_SIZE);
  const view = new DataView(buf.buffer);
  view.setUint32(0, IF_SIZE, true);
  const rc = native().ipn_policy_if_probe(cstr(name), buf);
  if (rc === -19) return undefined;
  if (rc < 0) throw new PolicyError(`cannot read interface ${name}: ${errnoText(rc)}`);
  const macLen = view.getUint32(24, true);
  const mac = [...buf.subarray(16, 16 + Math.min(macLen, 8))]
    .map((b) => b.toString(16).padStart(2, "0")).join(":");
  const ipv4 = fromCstr(buf, 28, 16);
  return {
    name,
    index: view.getInt32(4, true),
    ethernet: view.getUint32(8, true) === 1 && macLen === 6,
    mac: macLen ? mac : undefined,
    ipv4: ipv4 || undefined,
  };
}

/** Check bind policy text with the parser libipn_bind.so uses; the error, or undefined. */
export function checkBindPolicyText(text: string): string | undefined {
  const err = new Uint8Array(512);
  const rc = native().ipn_bind_policy_check(cstr(text), err, err.length);
  return rc < 0 ? fromCstr(err) || errnoText(rc) : undefined;
}
