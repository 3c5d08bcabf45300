/**
 * Bind policies (seed 003): the text form libipn_bind.so reads, and its
 * publication under RUNDIR/bind/ for `ipnctl exec --policy NAME`.
 *
 * @module
 */
import type { Bind, BindException } from "../../dsl/schema.ts";
import { join } from "node:path";
import { writeFileAtomicSync as writeFileAtomic } from "../state/atomic.ts";
import { checkBindPolicyText, PolicyError } from "./ffi.ts";

/** Where published bind policies live, one `NAME.policy` file each. */
export function bindDir(rundir: string): string {
  return join(rundir, "bind");
}

function exceptionText(e: BindException): string {
  switch (e.kind) {
    case "port":
      return `except ${e.proto} ${
        e.ports.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",")
      }`;
    case "address":
      return `except address ${e.cidr}`;
    default:
      return `except ${e.kind}`;
  }
}

/**
 * The policy as libipn_bind.so reads it from IPN_BIND_POLICY; `device`
 * overrides the policy's own. Checked by the library's own parser.
 */
export function bindPolicyText(b: Bind, device?: string): string {
  const lines = [`name ${b.name}`];
  const dev = device ?? b.device;
  if (dev) lines.push(`device ${dev}`);
  if (b.env) lines.push(`env ${b.env}`);
  lines.push(...b.except.map(exceptionText));
  const text = lines.join("\n") + "\n";
  const err = checkBindPolicyText(text);
  if (err) throw new PolicyError(`bind ${b.name}: ${err}`);
  return text;
}

function safeName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name);
}

/**
 * Publish every bind policy as RUNDIR/bind/NAME.policy (world-readable,
 * written atomically) and remove the policy files of binds no longer declared.
 */
export function publishBindPolicies(rundir: string, binds: Bind[]): void {
  const texts = new Map<string, string>();
  for (const b of binds) {
    if (!safeName(b.name)) {
      throw new PolicyError(`bind ${b.name}: the name must be letters, digits, '_', '.', '-'`);
    }
    texts.set(b.name, bindPolicyText(b));
  }
  const dir = bindDir(rundir);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [name, text] of texts) writeFileAtomic(join(dir, `${name}.policy`), text);
  for (const e of Deno.readDirSync(dir)) {
    const m = /^(.*)\.policy$/.exec(e.name);
    if (e.isFile && m && !texts.has(m[1])) Deno.removeSync(join(dir, e.name));
  }
}

/** A published policy's text, or undefined when there is none of that name. */
export function readPublishedBindPolicy(rundir: string, name: string): string | undefined {
  if (!safeName(name)) return undefined;
  try {
    return Deno.readTextFileSync(join(bindDir(rundir), `${name}.policy`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Names of the published policies. */
export function publishedBindPolicies(rundir: string): string[] {
  try {
    return [...Deno.readDirSync(bindDir(rundir))]
      .map((e) => /^(.*)\.policy$/.exec(e.name)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort();
  } catch {
    return [];
  }
}

/** The `device` and `env` items of policy text (the library reads the rest). */
export function policyTarget(text: string): { device?: string; env?: string } {
  const out: { device?: string; env?: string } = {};
  for (const item of text.split(/[\n;]/)) {
    const m = /^\s*(device|env)\s+(\S+)\s*(#.*)?$/.exec(item);
    if (m) out[m[1] as "device" | "env"] = m[2];
  }
  return out;
}

/** Replace the policy's device with `device` (what `exec --device` does). */
export function withDevice(text: string, device: string): string {
  const kept = text.split("\n").filter((l) => !/^\s*device\s/.test(l) && l.trim() !== "");
  return [...kept, `device ${device}`].join("\n") + "\n";
}
