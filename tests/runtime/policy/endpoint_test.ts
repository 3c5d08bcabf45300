import assert from "node:assert/strict";
import { join } from "node:path";
import type { Endpoint } from "../../../dsl/schema.ts";
import {
  connectEndpoint,
  endpointTable,
  entryText,
  lookupEndpoint,
  publishEndpoints,
} from "../../../runtime/policy/endpoint.ts";
import { PolicyError } from "../../../runtime/policy/ffi.ts";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("connect falls back in order and says which entry served", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "ipn-ep-test-" });
  const live = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  Deno.mkdirSync(join(dir, "net"));
  const ctl = Deno.listen({ transport: "unix", path: join(dir, "net", "ctl") });
  const dead = freePort();
  try {
    const ep: Endpoint = {
      kind: "endpoint",
      name: "db",
      addresses: [
        { family: "ipn", path: join(dir, "missing") },
        { family: "inet", address: "127.0.0.1", port: dead },
        { family: "inet", address: "127.0.0.1", port: (live.addr as Deno.NetAddr).port },
        { family: "ipn", path: join(dir, "net") },
      ],
    };
    const c = await connectEndpoint(ep, { timeoutMs: 1000 });
    assert.equal(c.index, 2);
    assert.equal(c.family, "inet");
    assert.equal(c.failures.length, 2);
    assert.match(c.failures[0], /missing: No such file or directory/);
    assert.match(c.failures[1], new RegExp(`127\\.0\\.0\\.1 ${dead}: Connection refused`));
    c.conn.close();
    (await live.accept()).close();

    const n = await connectEndpoint({ ...ep, addresses: ep.addresses.slice(3) });
    assert.equal(n.index, 0);
    assert.equal(n.family, "ipn");
    n.conn.close();
    (await ctl.accept()).close();

    await assert.rejects(
      connectEndpoint({ ...ep, addresses: ep.addresses.slice(0, 2) }),
      (e) => e instanceof PolicyError && /endpoint db: no address answered:\nipn /.test(e.message),
    );
    await assert.rejects(
      connectEndpoint({
        ...ep,
        addresses: [{ family: "inet6", address: "127.0.0.1", port: dead }],
      }),
      /inet6 127\.0\.0\.1 \d+: not an inet6 address/,
    );
  } finally {
    live.close();
    ctl.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("the published table is sorted, world-readable and read back", () => {
  const dir = Deno.makeTempDirSync({ prefix: "ipn-ep-table-" });
  try {
    const eps: Endpoint[] = [
      {
        kind: "endpoint",
        name: "web",
        addresses: [{ family: "inet6", address: "fd00::1", port: 80 }],
      },
      { kind: "endpoint", name: "db", addresses: [{ family: "ipn", path: "/run/ipn/lab" }] },
    ];
    publishEndpoints(dir, eps);
    const file = join(dir, "endpoints.json");
    assert.equal(Deno.statSync(file).mode! & 0o777, 0o644);
    assert.deepEqual(Object.keys(JSON.parse(Deno.readTextFileSync(file)).endpoints), ["db", "web"]);
    assert.deepEqual(lookupEndpoint(dir, "web"), eps[0].addresses);
    assert.equal(lookupEndpoint(dir, "nope"), undefined);
    assert.equal(lookupEndpoint(dir, "__proto__"), undefined);
    assert.equal(entryText(eps[0].addresses[0]), "inet6 fd00::1 80");
    assert.equal(entryText(eps[1].addresses[0]), "ipn /run/ipn/lab");
    assert.throws(
      () =>
        endpointTable([{
          kind: "endpoint",
          name: "x",
          addresses: [{ family: "inet", address: "a b", port: 1 }],
        }]),
      /endpoint x: address 'a b' contains whitespace/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
