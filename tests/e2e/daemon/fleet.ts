/**
 * Several hosts for fleet tests: one world (namespace, state, socket, ipnd)
 * per host, joined by an underlay of veth pairs to a bridge in a namespace
 * of its own, the way hosts hang off one switch. Multicast snooping is off on
 * that bridge so it floods group traffic like a plain switch.
 */
import { sh, World } from "./harness.ts";

export interface FleetOptions {
  /** MTU of every underlay link (veth ends and the bridge). */
  underlayMtu?: number;
}

/** One host of the fleet: its world and its underlay address. */
export interface Host {
  name: string;
  world: World;
  /** The underlay interface inside the host's namespace. */
  dev: string;
  /** Its IPv4 address (without prefix). */
  address: string;
}

let counter = 0;

export class Fleet {
  private constructor(readonly bridgeNs: string, readonly hosts: Host[]) {}

  /** Hosts named `names`, underlay 10.213.0.0/24 (inside the fleet's namespaces only). */
  static async create(names: string[], opts: FleetOptions = {}): Promise<Fleet> {
    const mtu = String(opts.underlayMtu ?? 1500);
    const bridgeNs = `ipnd-b${Deno.pid}-${++counter}`;
    const hosts: Host[] = [];
    const fleet = new Fleet(bridgeNs, hosts);
    try {
      await sh("ip", "netns", "add", bridgeNs);
      await sh("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
      await sh("ip", "-n", bridgeNs, "link", "set", "br0", "mtu", mtu, "up");
      for (const [i, name] of names.entries()) {
        const world = await World.create();
        const host: Host = { name, world, dev: "ul0", address: `10.213.0.${i + 1}` };
        hosts.push(host);
        const port = `p${i}`;
        // Both ends are created directly in their namespaces: no global names.
        await sh(
          "ip",
          "-n",
          world.ns,
          "link",
          "add",
          host.dev,
          "mtu",
          mtu,
          "type",
          "veth",
          "peer",
          "name",
          port,
          "netns",
          bridgeNs,
        );
        await sh("ip", "-n", bridgeNs, "link", "set", port, "mtu", mtu, "master", "br0", "up");
        await sh("ip", "-n", world.ns, "addr", "add", `${host.address}/24`, "dev", host.dev);
        await sh("ip", "-n", world.ns, "link", "set", host.dev, "up");
      }
    } catch (e) {
      await fleet.cleanup();
      throw e;
    }
    return fleet;
  }

  host(name: string): Host {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in this fleet`);
    return h;
  }

  /** Start every host's ipnd with `--host NAME`, in parallel. */
  async startDaemons(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.world.startDaemon({}, ["--host", h.name])));
  }

  /** Run `ipnctl args...` on every host at once; results by host name. */
  async ipnctlAll(...args: string[]) {
    const rs = await Promise.all(this.hosts.map((h) => h.world.ipnctl(...args)));
    return new Map(this.hosts.map((h, i) => [h.name, rs[i]]));
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.world.cleanup()));
    await new Deno.Command("ip", { args: ["netns", "del", this.bridgeNs] }).output();
  }
}

/** Run `fn` on a fresh fleet, always cleaned up; daemon logs shown on failure. */
export async function withFleet(
  names: string[],
  opts: FleetOptions,
  fn: (f: Fleet) => Promise<void>,
): Promise<void> {
  const f = await Fleet.create(names, opts);
  try {
    await fn(f);
  } catch (e) {
    for (const h of f.hosts) {
      const log = await h.world.log();
      if (log) console.error(`--- ipnd log of ${h.name} (${h.world.ns}) ---\n${log}`);
    }
    throw e;
  } finally {
    await f.cleanup();
  }
}
