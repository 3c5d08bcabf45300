/**
 * Endpoints (seed 002): one name over several families, tried in order.
 * The Deno side connects with Deno.connect; the daemon publishes the
 * resolved table RUNDIR/endpoints.json that libipn's ipn_endpoint_lookup()
 * reads for unprivileged C programs.
 *
 * @module
 */
import type { Endpoint, EndpointAddress } from "../../dsl/schema.ts";
import { join } from "node:path";
import { writeFileAtomicSync as writeFileAtomic } from "../state/atomic.ts";
import { PolicyError } from "./ffi.ts";

/** A connection and the entry that served it. */
export interface EndpointConnection {
  conn: Deno.Conn;
  /** Position of the serving entry in the endpoint's list. */
  index: number;
  family: EndpointAddress["family"];
  /** One line per entry tried before, and why it failed. */
  failures: string[];
}

/** An entry in the text form libipn uses ("inet ADDR PORT", "ipn PATH"). */
export function entryText(a: EndpointAddress): string {
  return a.family === "ipn" ? `ipn ${a.path}` : `${a.family} ${a.address} ${a.port}`;
}

/** Where a network path is reached: its control socket, or the path itself. */
function ipnSocket(path: string): string {
  try {
    return Deno.statSync(path).isDirectory ? join(path, "ctl") : path;
  } catch {
    return path;
  }
}

async function connectOne(a: EndpointAddress, timeoutMs: number): Promise<Deno.Conn> {
  if (a.family === "ipn") return await Deno.connect({ transport: "unix", path: ipnSocket(a.path) });
  const hostname = a.address.replace(/^\[(.*)\]$/, "$1");
  const isV6 = hostname.includes(":");
  if ((a.family === "inet6") !== isV6 && /^[\d.:a-fA-F]+$/.test(hostname)) {
    throw new Error(`not an ${a.family} address`);
  }
  return await Deno.connect({
    hostname,
    port: a.port,
    transport: "tcp",
    autoSelectFamily: false,
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/**
 * Connect to the first entry of `ep` that answers within `timeoutMs` each
 * (default 3000). Throws PolicyError naming every failure when none does.
 */
export async function connectEndpoint(
  ep: Endpoint,
  opts: { timeoutMs?: number } = {},
): Promise<EndpointConnection> {
  const failures: string[] = [];
  const timeoutMs = opts.timeoutMs ?? 3000;
  for (const [index, a] of ep.addresses.entries()) {
    try {
      const conn = await connectOne(a, timeoutMs);
      return { conn, index, family: a.family, failures };
    } catch (e) {
      const why = e instanceof Error
        ? (e.name === "TimeoutError" ? "timed out" : e.message)
        : String(e);
      failures.push(`${entryText(a)}: ${why}`);
    }
  }
  throw new PolicyError(`endpoint ${ep.name}: no address answered:\n${failures.join("\n")}`);
}

/** The published table's content: sorted by name, addresses in order. */
export function endpointTable(endpoints: Endpoint[]): {
  version: 1;
  endpoints: Record<string, EndpointAddress[]>;
} {
  const sorted = [...endpoints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Record<string, EndpointAddress[]> = {};
  for (const e of sorted) {
    for (const a of e.addresses) {
      if (a.family !== "ipn" && /\s/.test(a.address)) {
        throw new PolicyError(`endpoint ${e.name}: address '${a.address}' contains whitespace`);
      }
      if (a.family === "ipn" && a.path.includes("\n")) {
        throw new PolicyError(`endpoint ${e.name}: path contains a newline`);
      }
    }
    out[e.name] = e.addresses;
  }
  return { version: 1, endpoints: out };
}

/** Write RUNDIR/endpoints.json, world-readable, atomically. */
export function publishEndpoints(rundir: string, endpoints: Endpoint[]): void {
  const text = JSON.stringify(endpointTable(endpoints), null, 2) + "\n";
  Deno.mkdirSync(rundir, { recursive: true, mode: 0o755 });
  writeFileAtomic(join(rundir, "endpoints.json"), text, 0o644);
}

/** An endpoint's addresses from the published table, or undefined. */
export function lookupEndpoint(rundir: string, name: string): EndpointAddress[] | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(rundir, "endpoints.json"));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const table = JSON.parse(text) as { endpoints?: Record<string, EndpointAddress[]> };
  return Object.hasOwn(table.endpoints ?? {}, name) ? table.endpoints![name] : undefined;
}
