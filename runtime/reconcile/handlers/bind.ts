/**
 * Bind policies: published as RUNDIR/bind/NAME.policy for libipn_bind.so
 * and `ipnctl exec --policy NAME`. A canonical bind carries `policy`, the
 * exact text published, so a file edited by hand shows as drift.
 *
 * @module
 */
import { join } from "node:path";
import type { Bind } from "../../../dsl/schema.ts";
import { bindPolicyText, probeInterface } from "../../policy/mod.ts";
import { bindDir, readPublishedBindPolicy } from "../../policy/bind.ts";
import { writeFileAtomicSync as writeFileAtomic } from "../../state/atomic.ts";
import type { Handler } from "./handler.ts";

type Published = Bind & { policy?: string };

function text(b: Bind): string {
  try {
    return bindPolicyText(b);
  } catch (e) {
    return `(invalid: ${(e as Error).message})`;
  }
}

function plain(b: Bind): Bind {
  const { policy: _p, ...rest } = b as Published;
  return rest as Bind;
}

export const bindHandler: Handler<Bind> = {
  kind: "bind",
  observe(ctx, refs) {
    const out: Bind[] = [];
    let names: string[] = [];
    try {
      names = [...Deno.readDirSync(bindDir(ctx.runDir))]
        .map((e) => /^(.*)\.policy$/.exec(e.name)?.[1]).filter((n): n is string => !!n);
    } catch { /* no directory: nothing published */ }
    for (const name of names.sort()) {
      const policy = readPublishedBindPolicy(ctx.runDir, name);
      const ref = refs.get(name);
      if (policy !== undefined && ref) out.push({ ...plain(ref), policy } as Bind);
    }
    return out;
  },
  observeOne(ctx, name, ref) {
    const policy = readPublishedBindPolicy(ctx.runDir, name);
    if (policy === undefined || !ref) return undefined;
    return { ...plain(ref), policy } as Bind;
  },
  create(ctx, b) {
    const dir = bindDir(ctx.runDir);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeFileAtomic(join(dir, `${b.name}.policy`), bindPolicyText(plain(b)));
  },
  update(ctx, _before, after) {
    this.create(ctx, after);
  },
  delete(ctx, b) {
    try {
      Deno.removeSync(join(bindDir(ctx.runDir), `${b.name}.policy`));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  },
  canonical(b) {
    const p = plain(b);
    return { ...p, policy: text(p) } as Bind;
  },
  problems(_ctx, rs) {
    const out: string[] = [];
    for (const b of rs.map(plain)) {
      const at = b.source ? `${b.source}: ` : "";
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(b.name)) {
        out.push(`${at}bind ${b.name}: the name must be letters, digits, '_', '.', '-'`);
      }
      if (b.device && !probeInterface(b.device)) {
        out.push(`${at}bind ${b.name}: device ${b.device} does not exist`);
      }
      const t = text(b);
      if (t.startsWith("(invalid")) out.push(`${at}bind ${b.name}: ${t.slice(10, -1)}`);
    }
    return out;
  },
};
