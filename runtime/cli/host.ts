/**
 * Which host of a fleet file a command works for. Without `--host`,
 * commands take the host of the daemon they talk to (its `--host`, by
 * default the machine's hostname), so a daemon started for a host name other
 * than the machine's still gets its own part of the file.
 *
 * @module
 */
import { Client, daemonRunning } from "../api/client.ts";
import type { StatusBody } from "../api/schema.ts";

/** The host the daemon behind `client` manages. */
export async function daemonHost(client: Client): Promise<string> {
  return (await client.call<StatusBody>("GET", "/status")).daemon.host;
}

/** The host of the daemon answering here, or undefined when none answers. */
export async function runningDaemonHost(): Promise<string | undefined> {
  if (!(await daemonRunning())) return undefined;
  const client = new Client();
  try {
    return await daemonHost(client);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

/** This machine's hostname, or undefined when it cannot be read. */
export function machineHost(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}

/** Print plan warnings (from the live system) to stderr. */
export function printWarnings(warnings: string[] | undefined): void {
  for (const w of warnings ?? []) console.error(`warning: ${w}`);
}
