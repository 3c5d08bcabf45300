/**
 * The Dataplane over libipn: a control context for networks and ports, the
 * library's rtnetlink helpers for interfaces. "Not found" answers become
 * undefined so handlers can tell absence from failure.
 *
 * @module
 */
import { type Backend, type IpnContext, IpnError, Libipn } from "../ffi/mod.ts";
import type { Dataplane } from "./dataplane.ts";

let lib: Libipn | undefined;

function library(): Libipn {
  return lib ??= Libipn.load();
}

function absent(e: unknown): boolean {
  return e instanceof IpnError && (e.code === "ENOENT" || e.code === "ENODEV");
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (absent(e)) return undefined;
    throw e;
  }
}

/** A data plane with nothing in it: what observation sees when no engine runs. */
class NoEngine implements Dataplane {
  constructor(readonly backend: "user" | "kernel") {}
  netList() {
    return Promise.resolve([]);
  }
  netGet() {
    return Promise.resolve(undefined);
  }
  portList() {
    return Promise.resolve([]);
  }
  vlanGet(): never {
    throw new Error("no engine runs");
  }
  #refuse(): Promise<never> {
    return Promise.reject(new Error("read-only observation: no engine runs"));
  }
  netCreate() {
    return this.#refuse();
  }
  netUpdate() {
    return this.#refuse();
  }
  netDestroy() {
    return this.#refuse();
  }
  vlanSet() {
    return this.#refuse();
  }
  tapAdd() {
    return this.#refuse();
  }
  grabAdd() {
    return this.#refuse();
  }
  attachDel() {
    return this.#refuse();
  }
  ifInfo(ifname: string) {
    return orUndefined(library().ifInfo(ifname));
  }
  ifSet() {
    return this.#refuse();
  }
  ifAddrAdd() {
    return this.#refuse();
  }
  ifAddrDel() {
    return this.#refuse();
  }
  ifAddrs(ifname: string) {
    return library().ifAddrs(ifname);
  }
  close() {
    return Promise.resolve();
  }
}

class LibipnDataplane implements Dataplane {
  constructor(private readonly ctx: IpnContext) {}
  get backend() {
    return this.ctx.backend;
  }
  netList() {
    return this.ctx.netList();
  }
  netGet(name: string) {
    return orUndefined(this.ctx.netGet(name));
  }
  netCreate(cfg: Parameters<IpnContext["netCreate"]>[0]) {
    return this.ctx.netCreate(cfg);
  }
  netUpdate(cfg: Parameters<IpnContext["netUpdate"]>[0]) {
    return this.ctx.netUpdate(cfg);
  }
  netDestroy(name: string) {
    return this.ctx.netDestroy(name);
  }
  vlanSet(net: string, v: Parameters<IpnContext["vlanSet"]>[1]) {
    return this.ctx.vlanSet(net, v);
  }
  vlanGet(net: string, port: number) {
    return this.ctx.vlanGet(net, port);
  }
  portList(net: string) {
    return this.ctx.portList(net);
  }
  tapAdd(net: string, ifname: string, port: number) {
    return this.ctx.tapAdd(net, ifname, port);
  }
  grabAdd(net: string, ifname: string, port: number) {
    return this.ctx.grabAdd(net, ifname, port);
  }
  attachDel(net: string, ifname: string) {
    return this.ctx.attachDel(net, ifname);
  }
  ifInfo(ifname: string) {
    return orUndefined(library().ifInfo(ifname));
  }
  ifSet(ifname: string, opts: { up?: boolean; mtu?: number }) {
    return library().ifSet(ifname, opts);
  }
  ifAddrAdd(ifname: string, cidr: string) {
    return library().ifAddrAdd(ifname, cidr);
  }
  ifAddrDel(ifname: string, cidr: string) {
    return library().ifAddrDel(ifname, cidr);
  }
  ifAddrs(ifname: string) {
    return library().ifAddrs(ifname);
  }
  close() {
    return this.ctx.close();
  }
}

/** Whether an engine answers for `runDir`: its pid file names a live process. */
function engineRunning(runDir: string): boolean {
  try {
    const pid = Number(Deno.readTextFileSync(`${runDir}/engine.pid`).trim());
    if (!(pid > 0)) return false;
    Deno.kill(pid, "SIGCONT"); // signal delivery as a liveness probe, harmless
    return true;
  } catch {
    return false;
  }
}

/** Whether the kernel module is loaded (auto then picks the kernel backend). */
function kernelLoaded(): boolean {
  try {
    Deno.statSync("/sys/module/ipn");
    return true;
  } catch {
    return false;
  }
}

/**
 * Open the data plane. With `start: false` nothing is started: when the
 * user backend's engine does not run, the result observes an empty data
 * plane and refuses changes.
 */
export async function openLibipn(
  backend: Backend,
  runDir: string,
  opts: { start: boolean },
): Promise<Dataplane> {
  const l = library();
  if (!opts.start && backend !== "kernel" && !engineRunning(runDir) && !kernelLoaded()) {
    return new NoEngine("user");
  }
  return new LibipnDataplane(await l.open(backend, runDir));
}
