/**
 * Where ipn keeps things. IPN_STATE_DIR and IPN_RUN_DIR move them (tests,
 * several daemons on one machine).
 *
 * @module
 */
import { join } from "node:path";

/** Durable state: generations, the state file, the journal. */
export function stateDir(): string {
  return Deno.env.get("IPN_STATE_DIR") ?? "/var/lib/ipn";
}

/** Runtime files: sockets, the lock, the engine's control socket. */
export function runDir(): string {
  return Deno.env.get("IPN_RUN_DIR") ?? "/run/ipn";
}

export function defaultStatePath(): string {
  return join(stateDir(), "state.json");
}
