/**
 * Open the data plane the daemon reconciles: libipn through Deno.dlopen,
 * with the backend chosen as asked (auto: the kernel module when loaded).
 *
 * @module
 */
import type { Dataplane } from "./dataplane.ts";
import { openLibipn } from "./libipn.ts";

/**
 * `start: false` observes without side effects: when no user engine runs,
 * nothing is live, and the returned data plane says so (and refuses writes).
 */
export function openDataplane(
  backend: "auto" | "user" | "kernel",
  runDir: string,
  opts: { start?: boolean } = {},
): Promise<Dataplane> {
  return openLibipn(backend, runDir, { start: opts.start ?? true });
}
