import type { Network, Resource, Tap } from "../../../dsl/schema.ts";

export function network(name: string, over: Partial<Network> = {}): Network {
  return {
    kind: "network",
    name,
    path: `/run/ipn/${name}`,
    policy: {
      kind: "switch",
      vlans: [{ vlan: 10, ports: [{ from: 1, to: 8 }] }],
      trunks: [],
      ageing: 300,
    },
    ports: 32,
    mtu: 1514,
    queue: 64,
    delivery: "lossy",
    persistent: false,
    access: { owner: "root", group: "netdev", mode: 0o660 },
    ...over,
  };
}

export function tap(name: string, net: string, over: Partial<Tap> = {}): Tap {
  return { kind: "tap", name, network: net, addresses: ["10.10.0.1/24"], up: true, ...over };
}

export function sorted(rs: Resource[]): Resource[] {
  return rs;
}
