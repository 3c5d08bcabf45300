/**
 * `ipnctl show`: live networks and their members, with counters.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { withDaemon } from "../connect.ts";

interface Counters {
  rxFrames: number;
  rxBytes: number;
  txFrames: number;
  txBytes: number;
  drops: number;
}
interface Shown {
  backend: string;
  networks: {
    name: string;
    path: string;
    policy: string;
    members: number;
    interfaces: number;
    maxPorts: number;
    mtu: number;
    delivery: string;
    stats: Counters;
    ports: {
      port: number;
      kind: string;
      ifname?: string;
      pid?: number;
      uid: number;
      descr?: string;
      stats: Counters;
    }[];
  }[];
}

function c(s: Counters): string {
  return `rx ${s.rxFrames}/${s.rxBytes}B  tx ${s.txFrames}/${s.txBytes}B  drops ${s.drops}`;
}

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("show", args, {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl show [--json] [NETWORK...]\n\nLive networks owned by ipn, their members and counters.",
      );
      return 0;
    }
    return await withDaemon("show", {}, async (client) => {
      const s = await client.call<Shown>("GET", "/show");
      const nets = positionals.length
        ? s.networks.filter((n) => positionals.includes(n.name))
        : s.networks;
      const missing = positionals.filter((p) => !s.networks.some((n) => n.name === p));
      if (missing.length) throw new CliError(`show: no live network named ${missing.join(", ")}`);
      if (values.json) {
        console.log(JSON.stringify({ backend: s.backend, networks: nets }, null, 2));
        return 0;
      }
      if (!nets.length) console.log(`No networks (${s.backend} backend).`);
      for (const n of nets) {
        console.log(
          `network ${n.name}  ${n.policy}  ${n.path}  ${
            n.members + n.interfaces
          }/${n.maxPorts} ports (${n.members} members, ${n.interfaces} interfaces)  mtu ${n.mtu}  ${n.delivery}`,
        );
        console.log(`  ${c(n.stats)}`);
        for (const p of n.ports) {
          const who = p.ifname ? p.ifname : p.pid ? `pid ${p.pid}` : "";
          console.log(
            `  port ${String(p.port).padEnd(4)} ${p.kind.padEnd(6)} ${who.padEnd(12)} ${
              c(p.stats)
            }`,
          );
        }
      }
      return 0;
    });
  },
};
export default command;
