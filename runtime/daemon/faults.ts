/**
 * Fault injection for the daemon's own tests, from IPN_TEST_FAULTS:
 *   fail-op=N   the Nth step (0-based) of the next applies fails
 *   kill-at=N   the daemon kills itself (SIGKILL) right after its Nth
 *               journal record, as a crash at that point would
 * Unset in production; documented in docs/daemon.md.
 *
 * @module
 */
import type { Faults } from "../reconcile/reconciler.ts";

export function faultsFromEnv(): Faults {
  const spec = Deno.env.get("IPN_TEST_FAULTS");
  if (!spec) return {};
  const faults: Faults = {};
  for (const part of spec.split(",")) {
    const [k, v] = part.split("=");
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`IPN_TEST_FAULTS: bad value in '${part}'`);
    if (k === "fail-op") faults.failOp = n;
    else if (k === "kill-at") {
      faults.onJournal = (count) => count === n && Deno.kill(Deno.pid, "SIGKILL");
    } else throw new Error(`IPN_TEST_FAULTS: unknown fault '${k}'`);
  }
  return faults;
}
