/**
 * `ipnctl exec --policy NAME [--device DEV] -- cmd args`: run a command with
 * its sockets bound to a device (seed 003) through libipn_bind.so.
 *
 * The policy comes from the Plan's bind resources when given, else from the
 * file the daemon published under RUNDIR/bind/. The device must exist before
 * anything starts: a missing one is an error, never a silent fallback.
 *
 * @module
 */
import type { Bind } from "../../dsl/schema.ts";
import {
  bindPolicyText,
  policyTarget,
  publishedBindPolicies,
  readPublishedBindPolicy,
  withDevice,
} from "./bind.ts";
import { buildPath, checkBindPolicyText, PolicyError, probeInterface } from "./ffi.ts";

/** Default run directory of the daemon. */
export const DEFAULT_RUNDIR = "/run/ipn";

/** What `ipnctl exec` was asked. */
export interface ExecOptions {
  /** Name of the bind policy. */
  policy: string;
  /** Device to bind to, overriding the policy's. */
  device?: string;
  /** Where published policies are looked up (default /run/ipn). */
  rundir?: string;
  /** The Plan's bind resources; when given, the policy is taken from here. */
  binds?: Bind[];
  /** The command and its arguments. */
  command: string[];
  /** The environment to start from (default: this process's). */
  env?: Record<string, string>;
}

/** A command ready to start. */
export interface PreparedExec {
  command: string;
  args: string[];
  env: Record<string, string>;
  device: string;
  policyText: string;
}

/** The preload library of this checkout, or IPN_BIND_LIB. */
export function bindLibrary(): string {
  return Deno.env.get("IPN_BIND_LIB") ?? buildPath("lib/libipn_bind.so");
}

function findPolicy(o: ExecOptions): string {
  if (o.binds) {
    const b = o.binds.find((x) => x.name === o.policy);
    if (!b) {
      const known = o.binds.map((x) => x.name).sort().join(", ") || "none";
      throw new PolicyError(`no bind policy '${o.policy}' in the plan (known: ${known})`);
    }
    return bindPolicyText(b);
  }
  const rundir = o.rundir ?? DEFAULT_RUNDIR;
  const text = readPublishedBindPolicy(rundir, o.policy);
  if (text === undefined) {
    const known = publishedBindPolicies(rundir).join(", ") || "none";
    throw new PolicyError(
      `no bind policy '${o.policy}' published in ${rundir}/bind (known: ${known}; is it applied?)`,
    );
  }
  return text;
}

/**
 * Resolve the policy and device, check both, and build the command's
 * environment. Throws PolicyError; nothing is started.
 */
export function prepareExec(o: ExecOptions): PreparedExec {
  if (o.command.length === 0 || !o.command[0]) throw new PolicyError("no command to run");
  const env = { ...(o.env ?? Deno.env.toObject()) };
  let text = findPolicy(o);
  const target = policyTarget(text);
  const variable = target.env ?? "ND";
  const device = o.device ?? target.device ?? env[variable];
  if (!device) {
    throw new PolicyError(
      `bind policy '${o.policy}' names no device: give --device DEV or set ${variable}`,
    );
  }
  if (!probeInterface(device)) {
    throw new PolicyError(
      `device ${device} does not exist (bind policy '${o.policy}'); nothing was started`,
    );
  }
  text = withDevice(text, device);
  const err = checkBindPolicyText(text);
  if (err) throw new PolicyError(`bind policy '${o.policy}': ${err}`);
  const lib = bindLibrary();
  try {
    Deno.statSync(lib);
  } catch {
    throw new PolicyError(`the bind library ${lib} is missing (run 'make native')`);
  }
  env.LD_PRELOAD = env.LD_PRELOAD ? `${lib}:${env.LD_PRELOAD}` : lib;
  env.IPN_BIND_POLICY = text;
  const [command, ...args] = o.command;
  return { command, args, env, device, policyText: text };
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * Run the command under the policy with inherited stdio; resolves to its exit
 * code (128 + signal number when a signal ended it).
 */
export async function execWithPolicy(o: ExecOptions): Promise<number> {
  const p = prepareExec(o);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(p.command, {
      args: p.args,
      env: p.env,
      clearEnv: true,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "command not found" : String(e);
    throw new PolicyError(`cannot run '${p.command}': ${why}`);
  }
  const forward = () => child.kill("SIGTERM");
  Deno.addSignalListener("SIGTERM", forward);
  try {
    const status = await child.status;
    if (status.signal) return 128 + (SIGNALS[status.signal] ?? 0);
    return status.code;
  } finally {
    Deno.removeSignalListener("SIGTERM", forward);
  }
}
