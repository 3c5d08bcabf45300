/**
 * iproute2 as a library: run `ip`/`bridge` with JSON output and clear
 * errors. Used where the kernel already has the engine (VXLAN devices) and
 * iproute2 is the stable way to drive it.
 *
 * @module
 */

/** Run `cmd args...`; throw with iproute2's own message on failure. */
export function ipRun(cmd: "ip" | "bridge", args: string[]): string {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .outputSync();
  } catch (e) {
    throw new Error(`cannot run ${cmd}: ${(e as Error).message} (is iproute2 installed?)`);
  }
  if (!out.success) {
    const msg = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new Error(`${cmd} ${args.join(" ")}: ${msg || `exit ${out.code}`}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** `ip -j ...` parsed; an empty answer is an empty list. */
export function ipJson<T = unknown>(cmd: "ip" | "bridge", args: string[]): T[] {
  const text = ipRun(cmd, ["-j", ...args]).trim();
  if (!text) return [];
  return JSON.parse(text) as T[];
}
