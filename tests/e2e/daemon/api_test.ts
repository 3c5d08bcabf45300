import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { worldTest } from "./harness.ts";
import { config } from "./configs.ts";

async function raw(path: string, bytes: Uint8Array): Promise<string> {
  const c = await Deno.connect({ transport: "unix", path });
  try {
    await c.write(bytes);
    const buf = new Uint8Array(65536);
    let out = "";
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const n = await c.read(buf).catch(() => null);
      if (n === null) break;
      out += new TextDecoder().decode(buf.subarray(0, n));
      if (/\r\n\r\n[\s\S]*\n$/.test(out)) break;
    }
    return out;
  } finally {
    try {
      c.close();
    } catch { /* closed by the server */ }
  }
}

function request(
  method: string,
  path: string,
  body: string,
  type = "application/json",
  length?: number,
): Uint8Array {
  const b = new TextEncoder().encode(body);
  return new TextEncoder().encode(
    `${method} ${path} HTTP/1.1\r\nhost: ipnd\r\ncontent-type: ${type}\r\ncontent-length: ${
      length ?? b.length
    }\r\nconnection: close\r\n\r\n${body}`,
  );
}

worldTest(
  "garbage, malformed, oversized and unauthorised requests get errors and change nothing",
  async (w) => {
    await w.startDaemon();
    const f = await w.file("a.ipn", config(w.runDir, [{ name: "g" }]));
    equal((await w.ipnctl("apply", f)).code, 0);
    const sock = join(w.runDir, "ipnd.sock");

    // Not HTTP at all.
    const junk = crypto.getRandomValues(new Uint8Array(4096));
    const r1 = await raw(sock, junk);
    equal(/HTTP\/1\.1 [45]\d\d/.test(r1) || r1 === "", true, `garbage got: ${r1.slice(0, 80)}`);
    // Malformed JSON, wrong schema, wrong type, unknown route, wrong method.
    match(await raw(sock, request("POST", "/v1/apply", "{not json")), /400[\s\S]*bad-json/);
    match(await raw(sock, request("POST", "/v1/apply", '{"plan": 42}')), /400[\s\S]*bad-request/);
    match(await raw(sock, request("POST", "/v1/apply", "{}", "text/plain")), /415/);
    match(await raw(sock, request("GET", "/v2/status", "")), /404/);
    match(await raw(sock, request("DELETE", "/v1/status", "")), /405/);
    match(
      await raw(
        sock,
        request(
          "POST",
          "/v1/apply",
          '{"plan":{"version":1,"backend":"auto","resources":[{"kind":"network","name":"x"}]},"by":"t"}',
        ),
      ),
      /400/,
    );
    // Oversized: announced length beyond the limit is refused before reading.
    match(
      await raw(sock, request("POST", "/v1/apply", "{}", "application/json", 200 * 1024 * 1024)),
      /413/,
    );

    // The daemon still serves, and nothing changed.
    const s = JSON.parse((await w.ipnctl("status", "--json")).stdout);
    equal(s.generation, 1);
    equal((await w.ipnctl("plan", "--detailed-exitcode", f)).code, 0);

    // Unauthorised: a non-root uid cannot even connect (socket is 0600 root).
    const st = await Deno.stat(sock);
    equal(st.mode! & 0o777, 0o600);
    const probe = `try { const c = await Deno.connect({ transport: "unix", path: ${
      JSON.stringify(sock)
    } }); c.close(); console.log("connected"); } catch (e) { console.log(e.name); }`;
    await Deno.chmod(w.dir, 0o755);
    await Deno.chmod(w.runDir, 0o755);
    const nobody = await new Deno.Command("setpriv", {
      args: ["--reuid=65534", "--regid=65534", "--clear-groups", Deno.execPath(), "eval", probe],
      env: { DENO_DIR: "/tmp/ipn-nobody-deno", HOME: "/tmp" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(nobody.stdout).trim();
    equal(said, "PermissionDenied", new TextDecoder().decode(nobody.stderr));
  },
);
