/**
 * `ipnctl show`: the live objects ipn owns, with their counters, as the
 * data plane reports them right now.
 *
 * @module
 */
import type { Reconciler } from "../reconcile/reconciler.ts";
import type { NetInfo } from "../reconcile/dataplane.ts";
import { uplinkDevices } from "../reconcile/handlers/uplink.ts";

type Stats = NetInfo["stats"];

function counters(s: Stats) {
  return {
    rxFrames: s.rxFrames,
    rxBytes: s.rxBytes,
    txFrames: s.txFrames,
    txBytes: s.txBytes,
    drops: Object.values(s.drops).reduce((a, b) => a + b, 0),
    dropsByReason: s.drops,
  };
}

export async function showLive(rec: Reconciler) {
  const { dp, owner } = rec.ctx;
  const mine = (await dp.netList())
    .filter((n) => n.config.owner === owner)
    .sort((a, b) => (a.config.name < b.config.name ? -1 : 1));
  const networks = [];
  // Uplinks are grabbed VXLAN devices; name them as the file does.
  const uplinks = mine.length ? uplinkDevices() : new Set<string>();
  for (const n of mine) {
    networks.push({
      name: n.config.name,
      path: n.config.path,
      policy: n.config.policy,
      members: n.members,
      interfaces: n.attachments,
      maxPorts: n.config.maxPorts,
      mtu: n.config.mtu,
      delivery: n.config.lossless ? "lossless" : "lossy",
      stats: counters(n.stats),
      ports: (await dp.portList(n.config.name)).map((p) => ({
        port: p.port,
        kind: p.kind === "grab" && uplinks.has(p.ifname) ? "uplink" : p.kind,
        ifname: p.ifname || undefined,
        pid: p.pid || undefined,
        uid: p.uid,
        rights: (p.rights.read ? "r" : "-") + (p.rights.write ? "w" : "-") +
          (p.rights.exec ? "x" : "-"),
        descr: p.descr || undefined,
        stats: counters(p.stats),
      })),
    });
  }
  return { backend: dp.backend, networks };
}
