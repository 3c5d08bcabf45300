/**
 * The Deno bindings against a real engine in a private rundir: networks,
 * VLANs, ports, native members, concast flows, taps and interface helpers,
 * errors with the engine's explanation, and a clean shutdown.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import {
  decodeSummary,
  type IpnContext,
  IpnError,
  type IpnMember,
  Libipn,
} from "../../../runtime/ffi/mod.ts";

const root = Deno.uid() === 0;
const lib = Libipn.load();

/** A private engine for one test; always shut down. */
async function withEngine(fn: (ctx: IpnContext, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: `ipn-ffi-${Deno.pid}-` });
  await Deno.chmod(dir, 0o755);
  const ctx = await lib.open("user", `${dir}/run`);
  try {
    await fn(ctx, dir);
  } finally {
    await ctx.shutdown();
    await ctx.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** recv with a deadline: a lost frame fails the test instead of hanging it. */
async function recvWithin(m: IpnMember, ms: number): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([m.recv(), late]);
  } finally {
    clearTimeout(timer);
  }
}

const frame = (n: number, size = 64) => {
  const f = new Uint8Array(size);
  f.fill(0xff, 0, 6); // broadcast
  f.set([2, 0, 0, 0, 0, 1, 0x88, 0xb5], 6);
  new DataView(f.buffer).setUint32(14, n);
  return f;
};

Deno.test(
  { name: "networks: create, observe, update, refuse bad input", ignore: !root },
  async () => {
    await withEngine(async (ctx, dir) => {
      equal(ctx.backend, "user");
      await ctx.netCreate({
        name: "sw",
        path: `${dir}/sw`,
        policy: "switch",
        maxPorts: 16,
        mtu: 1514,
        queue: 128,
        persistent: true,
        uid: 0,
        gid: 100,
        mode: 0o640,
        ageingS: 60,
        owner: "test",
      });
      const info = await ctx.netGet("sw");
      deepStrictEqual(info.config, {
        name: "sw",
        path: `${dir}/sw`,
        policy: "switch",
        maxPorts: 16,
        mtu: 1514,
        queue: 128,
        lossless: false,
        persistent: true,
        uid: 0,
        gid: 100,
        mode: 0o640,
        ageingS: 60,
        concast: undefined,
        owner: "test",
      });
      equal(info.members, 0);
      equal(info.stats.rxFrames, 0);
      equal(info.stats.drops.refused, 0);
      // on disk: anyone may knock, the engine decides; owner and group shown
      equal((await Deno.stat(`${dir}/sw/ctl`)).mode! & 0o777, 0o666);
      equal((await Deno.stat(`${dir}/sw`)).mode! & 0o777, 0o755);
      equal((await Deno.stat(`${dir}/sw`)).gid, 100);

      await ctx.netUpdate({ ...info.config, mtu: 9000, lossless: true, mode: 0o664 });
      const after = await ctx.netGet("sw");
      equal(after.config.mtu, 9000);
      equal(after.config.lossless, true);
      equal(after.config.mode, 0o664);

      const names = (await ctx.netList()).map((n) => n.config.name);
      deepStrictEqual(names, ["sw"]);

      // bad input: refused with the engine's reason, nothing changes
      await rejects(
        ctx.netCreate({ name: "sw", path: `${dir}/other`, policy: "hub" }),
        (e: IpnError) => e.code === "EEXIST" && /name exists/.test(e.message),
      );
      await rejects(
        ctx.netCreate({ name: "x", path: `${dir}/no/such/dir`, policy: "hub" }),
        (e: IpnError) => e.code === "ENOENT" && /parent directory/.test(e.message),
      );
      await rejects(
        ctx.netUpdate({ ...info.config, path: `${dir}/moved` }),
        (e: IpnError) => e.code === "EINVAL" && /path cannot change/.test(e.message),
      );
      await rejects(
        ctx.netCreate({ name: "y", path: `${dir}/y`, policy: "hub", mtu: 10 }),
        (e: IpnError) => e.code === "EINVAL" && /^create network: mtu: /.test(e.message),
      );
      await rejects(
        ctx.netGet("nope"),
        (e: IpnError) => e.code === "ENOENT" && /no such network/.test(e.message),
      );
      await rejects(
        ctx.netCreate({
          name: "cc",
          path: `${dir}/cc`,
          policy: "concast",
          concast: { key: { type: "u16", offset: 0 }, merge: "sum" },
        }),
        (e: IpnError) => /needs a value field/.test(e.message),
      );
      equal((await ctx.netList()).length, 1);

      await ctx.netDestroy("sw");
      deepStrictEqual(await ctx.netList(), []);
    });
  },
);

Deno.test({ name: "switch VLANs round-trip", ignore: !root }, async () => {
  await withEngine(async (ctx, dir) => {
    await ctx.netCreate({ name: "v", path: `${dir}/v`, policy: "switch", persistent: true });
    deepStrictEqual(await ctx.vlanGet("v", 3), { port: 3, pvid: 1, trunk: [] });
    await ctx.vlanSet("v", { port: 3, pvid: 0, trunk: [10, 20, 4094] });
    deepStrictEqual(await ctx.vlanGet("v", 3), { port: 3, pvid: 0, trunk: [10, 20, 4094] });
    await rejects(
      ctx.vlanSet("v", { port: 99, pvid: 1 }),
      (e: IpnError) => /outside/.test(e.message),
    );
  });
});

Deno.test({ name: "native members exchange frames; counters follow", ignore: !root }, async () => {
  await withEngine(async (ctx, dir) => {
    await ctx.netCreate({ name: "h", path: `${dir}/h`, policy: "hub", persistent: true });
    const a = await lib.join(`${dir}/h`);
    const b = await lib.join(`${dir}/h`, { readOnly: true });
    try {
      deepStrictEqual(b.rights, { read: true, write: false });
      equal(a.mtu, 1514);
      for (let i = 0; i < 100; i++) await a.send(frame(i));
      for (let i = 0; i < 100; i++) {
        const f = await recvWithin(b, 5000);
        equal(new DataView(f.buffer, f.byteOffset).getUint32(14), i);
      }
      await rejects(b.send(frame(0)), (e: IpnError) => e.code === "EPERM");
      const ports = await ctx.portList("h");
      deepStrictEqual(ports.map((p) => [p.port, p.kind]), [[a.port, "native"], [b.port, "native"]]);
      equal(ports[1].stats.txFrames, 100);
      equal((await ctx.netGet("h")).stats.rxFrames, 100);
    } finally {
      await a.leave();
      await b.leave();
    }
  });
});

Deno.test({ name: "concast merges and exposes flow state", ignore: !root }, async () => {
  await withEngine(async (ctx, dir) => {
    await ctx.netCreate({
      name: "c",
      path: `${dir}/c`,
      policy: "concast",
      persistent: true,
      concast: {
        key: { type: "u16", offset: 0 },
        merge: "sum",
        value: { type: "u32", offset: 4 },
        doneCount: 3,
        output: "summary",
      },
    });
    const rx = await lib.join(`${dir}/c`, { readOnly: true });
    const tx = await lib.join(`${dir}/c`, { writeOnly: true });
    try {
      const msg = (key: number, value: number) => {
        const m = new Uint8Array(8);
        const v = new DataView(m.buffer);
        v.setUint16(0, key);
        v.setUint32(4, value);
        return m;
      };
      await tx.send(msg(7, 10));
      await tx.send(msg(7, 20));
      // flow state after two of three messages (the engine merges in order)
      let flows = await ctx.flowList("c");
      for (let i = 0; i < 100 && (flows.length === 0 || flows[0].count < 2); i++) {
        await new Promise((r) => setTimeout(r, 20));
        flows = await ctx.flowList("c");
      }
      equal(flows.length, 1);
      equal(flows[0].key, 7n);
      equal(flows[0].value, 30n);
      equal(flows[0].count, 2);
      // set it: value 100, done after 3 (one more message)
      await ctx.flowSet("c", { key: 7n, value: 100n, count: 2, expect: 3 });
      equal((await ctx.flowGet("c", 7n)).value, 100n);
      await tx.send(msg(7, 5));
      const out = decodeSummary(await recvWithin(rx, 5000));
      deepStrictEqual(out, { key: 7n, value: 105n, count: 3 });
      await rejects(ctx.flowGet("c", 7n), (e: IpnError) => e.code === "ENOENT");
      await rejects(ctx.flowList("nope"), (e: IpnError) => e.code === "ENOENT");
    } finally {
      await rx.leave();
      await tx.leave();
    }
  });
});

Deno.test({ name: "taps and the interface helpers", ignore: !root }, async () => {
  await withEngine(async (ctx, dir) => {
    await ctx.netCreate({ name: "t", path: `${dir}/t`, policy: "switch", persistent: true });
    const tap = `ipf${Deno.pid % 1000000}`;
    const port = await ctx.tapAdd("t", tap);
    equal(port, 1);
    try {
      const info = await lib.ifInfo(tap);
      equal(info.kind, "tun");
      equal(info.up, false);
      await lib.ifSet(tap, { up: true, mtu: 1400 });
      await lib.ifAddrAdd(tap, "10.213.7.1/24");
      await lib.ifAddrAdd(tap, "fd00:ff:7::1/64");
      const now = await lib.ifInfo(tap);
      equal(now.up, true);
      equal(now.mtu, 1400);
      ok((await lib.ifAddrs(tap)).includes("10.213.7.1/24"));
      await lib.ifAddrDel(tap, "10.213.7.1/24");
      ok(!(await lib.ifAddrs(tap)).includes("10.213.7.1/24"));
      await rejects(lib.ifAddrAdd(tap, "not-an-address"), (e: IpnError) => e.code === "EINVAL");
      const ports = await ctx.portList("t");
      deepStrictEqual(ports.map((p) => [p.kind, p.ifname]), [["tap", tap]]);
    } finally {
      await ctx.attachDel("t", tap);
    }
    await rejects(lib.ifInfo(tap), (e: IpnError) => e.code === "ENODEV");
  });
});

Deno.test({ name: "leaving interrupts a receive that waits", ignore: !root }, async () => {
  await withEngine(async (ctx, dir) => {
    await ctx.netCreate({ name: "i", path: `${dir}/i`, policy: "hub", persistent: true });
    const m = await lib.join(`${dir}/i`);
    const waiting = m.recv();
    await new Promise((r) => setTimeout(r, 50));
    await m.leave();
    await rejects(waiting, (e: IpnError) => e.code === "ECANCELED");
    for (let i = 0; i < 100 && (await ctx.netGet("i")).members !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    equal((await ctx.netGet("i")).members, 0);
  });
});

Deno.test("forcing the kernel backend where the module is not loaded says so", async () => {
  await rejects(
    lib.open("kernel"),
    (e: IpnError) => e.code === "EAFNOSUPPORT" && /kernel module is not loaded/.test(e.message),
  );
});

Deno.test("opening a rundir that cannot exist explains why", async () => {
  await rejects(
    lib.open("user", "relative/dir"),
    (e: IpnError) => e.code === "EINVAL" && /absolute/.test(e.message),
  );
});
