/**
 * `ipnctl show`: the live objects ipn owns, with their counters, as the
 * data plane reports them right now.
 *
 * @module
 */
import type { Reconciler } from "../reconcile/reconciler.ts";
import type { Stats } from "../reconcile/dataplane.ts";

function counters(s: Stats) {
  return {
    rxFrames: Number(s.rxFrames),
    rxBytes: Number(s.rxBytes),
    txFrames: Number(s.txFrames),
    txBytes: Number(s.txBytes),
    drops: s.drops.reduce((a, b) => a + Number(b), 0),
    dropsByReason: s.drops.map(Number),
  };
}

export function showLive(rec: Reconciler) {
  const { dp, owner } = rec.ctx;
  const networks = dp.netList()
    .filter((n) => n.config.owner === owner)
    .sort((a, b) => (a.config.name < b.config.name ? -1 : 1))
    .map((n) => ({
      name: n.config.name,
      path: n.config.path,
      policy: n.config.policy,
      members: n.members,
      maxPorts: n.config.maxPorts,
      mtu: n.config.mtu,
      delivery: n.config.lossless ? "lossless" : "lossy",
      stats: counters(n.stats),
      ports: dp.portList(n.config.name).map((p) => ({
        port: p.port,
        kind: p.kind,
        ifname: p.ifname || undefined,
        pid: p.pid || undefined,
        uid: p.uid,
        rights: p.rights,
        descr: p.descr || undefined,
        stats: counters(p.stats),
      })),
    }));
  return { backend: dp.backend, networks };
}
