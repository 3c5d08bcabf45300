/**
 * Deno bindings of libipn (native/libipn/include/ipn.h).
 *
 * @module
 */
export { type Backend, defaultLibraryPath, IpnContext, IpnMember, Libipn } from "./libipn.ts";
export { IpnError } from "./errors.ts";
export { C, LAYOUT } from "./layout.ts";
export { decodeSummary } from "./structs.ts";
export * from "./types.ts";
