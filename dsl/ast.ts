/**
 * The abstract syntax tree: what one file says, with every value located.
 *
 * Values are kept as written (numbers with their text, addresses as text)
 * so that semantic checks can point at the exact span; defaults are applied
 * only when the Plan is built (plan.ts). `at` is the span of the keyword
 * that starts a statement.
 *
 * @module
 */
import type { Span } from "./diagnostics.ts";

/** A `${name}` reference inside a quoted string. */
export interface VarRef {
  name: string;
  span: Span;
}

/** Literal text or a variable reference, in order. */
export type TextPart = string | VarRef;

/**
 * A piece of text: a bare word or a quoted string. `text` is final once the
 * loader has expanded the `parts` of a string that refers to variables.
 */
export interface Text {
  text: string;
  span: Span;
  quoted: boolean;
  /** Present when the string contains `${...}`. */
  parts?: TextPart[];
  /** Already reported as malformed (bad escape, unknown variable): checks skip it. */
  bad?: boolean;
}

/** A decimal number as written. */
export interface Num {
  value: number;
  text: string;
  span: Span;
}

/** An inclusive range `from-to` (a single number has from === to). */
export interface PortRange {
  from: number;
  to: number;
  span: Span;
}

/** A single-valued setting: its value and where its keyword is. */
export interface Setting<T> {
  value: T;
  at: Span;
}

/** A fixed-width field: `field u16 [le] at 0`. */
export interface FieldAst {
  type: "u8" | "u16" | "u32" | "u64";
  order: "be" | "le";
  offset: Num;
  span: Span;
}

export interface VlanAst {
  at: Span;
  vlan: Num;
  ports: PortRange[];
}

export interface TrunkAst {
  at: Span;
  ports: PortRange[];
  vlans: PortRange[];
}

export interface HubAst {
  kind: "hub";
  at: Span;
}

export interface SwitchAst {
  kind: "switch";
  at: Span;
  vlans: VlanAst[];
  trunks: TrunkAst[];
  ageing?: Setting<Num>;
}

export interface MergeAst {
  at: Span;
  fn: "count" | "sum" | "min" | "max" | "first" | "last" | "dedup";
  fnSpan: Span;
  field?: FieldAst;
}

export interface Timeout {
  ms: number;
  text: string;
  span: Span;
}

export interface DoneAst {
  at: Span;
  count?: Num;
  timeout?: Timeout;
}

export interface ConcastAst {
  kind: "concast";
  at: Span;
  recovered: boolean;
  key?: Setting<FieldAst>;
  merge?: MergeAst;
  done?: DoneAst;
  output?: Setting<"message" | "summary">;
  receiver?: Setting<Num>;
}

export type PolicyAst = HubAst | SwitchAst | ConcastAst;

/** A user or group: a name or a numeric id (`numeric`). */
export interface Principal {
  text: Text;
  numeric?: Num;
}

export interface AccessAst {
  at: Span;
  owner?: Setting<Principal>;
  group?: Setting<Principal>;
  mode?: Setting<Num>;
}

export interface TapDecl {
  kind: "tap";
  at: Span;
  recovered: boolean;
  name: Text;
  addresses: Text[];
  mtu?: Setting<Num>;
  port?: Setting<Num>;
  down?: Setting<true>;
}

export interface GrabDecl {
  kind: "grab";
  at: Span;
  recovered: boolean;
  name: Text;
  port?: Setting<Num>;
}

export interface UplinkDecl {
  kind: "uplink";
  at: Span;
  recovered: boolean;
  vni?: Setting<Num>;
  group?: Setting<Text>;
  /** Every `remote` statement's addresses, in order; `at` is the first statement's. */
  remote?: Setting<Text[]>;
  dev?: Setting<Text>;
  port?: Setting<Num>;
  ttl?: Setting<Num>;
  name?: Setting<Text>;
}

export interface NetworkDecl {
  kind: "network";
  at: Span;
  recovered: boolean;
  name: Text;
  path?: Setting<Text>;
  policy?: PolicyAst;
  ports?: Setting<Num>;
  mtu?: Setting<Num>;
  queue?: Setting<Num>;
  delivery?: Setting<"lossy" | "lossless">;
  persistent?: Setting<true>;
  description?: Setting<Text>;
  access?: AccessAst;
  taps: TapDecl[];
  grabs: GrabDecl[];
  uplinks: UplinkDecl[];
}

export interface MatchAst {
  at: Span;
  group: Text;
  ports: PortRange[];
}

export interface ToAst {
  at: Span;
  iface: Text;
  address?: Text;
}

export interface RewriteDecl {
  kind: "rewrite";
  at: Span;
  recovered: boolean;
  name: Text;
  from?: Setting<Text>;
  match?: MatchAst;
  to?: ToAst;
}

export type ExceptAst =
  | { kind: "port"; at: Span; proto: "tcp" | "udp" | "any"; ports: PortRange[] }
  | { kind: "loopback"; at: Span }
  | { kind: "unix"; at: Span }
  | { kind: "address"; at: Span; cidr: Text };

export interface BindDecl {
  kind: "bind";
  at: Span;
  recovered: boolean;
  name: Text;
  env?: Setting<Text>;
  device?: Setting<Text>;
  excepts: ExceptAst[];
}

export type EndpointAddrAst =
  | { family: "inet" | "inet6"; at: Span; address: Text; port: Num }
  | { family: "ipn"; at: Span; network?: Text; path?: Text };

export interface EndpointDecl {
  kind: "endpoint";
  at: Span;
  recovered: boolean;
  name: Text;
  addresses: EndpointAddrAst[];
}

/** A top-level declaration (also allowed inside `host`). */
export type Decl = NetworkDecl | RewriteDecl | BindDecl | EndpointDecl;

export interface LetStmt {
  kind: "let";
  at: Span;
  name: Text;
  value: Text;
}

export interface BackendStmt {
  kind: "backend";
  at: Span;
  value: "auto" | "user" | "kernel";
}

export interface IncludeStmt {
  kind: "include";
  at: Span;
  pattern: Text;
}

export interface HostBlock {
  kind: "host";
  at: Span;
  name: Text;
  decls: Decl[];
}

export type TopStatement = LetStmt | BackendStmt | IncludeStmt | HostBlock | Decl;

/** One parsed file. */
export interface FileAst {
  file: string;
  statements: TopStatement[];
  /** Strings that refer to variables, with the index of their top statement. */
  interpolated: { index: number; text: Text }[];
}
