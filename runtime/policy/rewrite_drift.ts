/**
 * Drift of the rewrite table: the live listing against the rendered one,
 * described per chain and per rewrite so a user can see what was edited.
 *
 * @module
 */
import { OWNER_COMMENT, REWRITE_FAMILY, REWRITE_TABLE } from "./rewrite_render.ts";

/** A table as nft lists it, split into what drift talks about. */
export interface ListedTable {
  comment?: string;
  /** Lines of the table body that are neither its comment nor a chain. */
  other: string[];
  chains: ListedChain[];
}

/** One chain of a listed table. */
export interface ListedChain {
  name: string;
  /** The chain's own lines: comment, type/hook/policy. */
  header: string[];
  rules: string[];
}

/** Counter values change with traffic; they are not drift. */
export function normaliseRule(line: string): string {
  return line.trim().replace(/\bcounter packets \d+ bytes \d+/g, "counter");
}

/** Split `nft list table` output (one level of chains, rules one per line). */
export function parseListing(text: string): ListedTable {
  const t: ListedTable = { other: [], chains: [] };
  let chain: ListedChain | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || /^table \S+ \S+ \{$/.test(line)) continue;
    if (!chain) {
      const c = /^chain (\S+) \{$/.exec(line);
      const cm = /^comment "(.*)"$/.exec(line);
      if (c) t.chains.push(chain = { name: c[1], header: [], rules: [] });
      else if (cm) t.comment = cm[1];
      else if (line !== "}") t.other.push(line);
      continue;
    }
    if (line === "}") chain = undefined;
    else if (/^(comment ".*"|type .*)$/.test(line)) chain.header.push(line);
    else chain.rules.push(normaliseRule(line));
  }
  return t;
}

/** Whether a listed table carries ipn's ownership comment. */
export function isOwned(listing: string): boolean {
  return parseListing(listing).comment === OWNER_COMMENT;
}

function ruleName(rule: string): string | undefined {
  return /comment "rewrite (.*)"$/.exec(rule)?.[1];
}

const TABLE = `table ${REWRITE_FAMILY} ${REWRITE_TABLE}`;

/**
 * Differences between the desired ruleset ("" when none is declared) and the
 * live listing (undefined when the table does not exist), one readable line
 * each. Empty: no drift.
 */
export function describeDrift(desired: string, live: string | undefined): string[] {
  if (live === undefined) return desired ? [`${TABLE} is missing`] : [];
  if (!desired) return [`${TABLE} exists but no rewrite is declared`];
  const want = parseListing(desired), have = parseListing(live);
  const out: string[] = [];
  if (have.comment !== want.comment) {
    out.push(
      `${TABLE}: comment is ${
        have.comment === undefined ? "missing" : `"${have.comment}"`
      }, expected "${want.comment}"`,
    );
  }
  for (const o of have.other) out.push(`${TABLE}: unexpected "${o}"`);
  const haveChains = new Map(have.chains.map((c) => [c.name, c]));
  const wantChains = new Map(want.chains.map((c) => [c.name, c]));
  for (const c of have.chains) {
    if (!wantChains.has(c.name)) out.push(`${TABLE}: chain ${c.name} was added outside ipn`);
  }
  for (const w of want.chains) {
    const h = haveChains.get(w.name);
    if (!h) {
      out.push(`${TABLE}: chain ${w.name} is missing`);
      continue;
    }
    if (h.header.join("\n") !== w.header.join("\n")) {
      out.push(
        `chain ${w.name}: hook changed: live "${h.header.join(" ")}", expected "${
          w.header.join(" ")
        }"`,
      );
    }
    diffRules(w, h, out);
  }
  return out;
}

function diffRules(w: ListedChain, h: ListedChain, out: string[]): void {
  const before = out.length;
  const named = (rules: string[]) => {
    const m = new Map<string, string>();
    const anon: string[] = [];
    for (const r of rules) {
      const n = ruleName(r);
      if (n !== undefined && !m.has(n)) m.set(n, r);
      else anon.push(r);
    }
    return { m, anon };
  };
  const want = named(w.rules), have = named(h.rules);
  for (const [name, rule] of want.m) {
    const live = have.m.get(name);
    if (live === undefined) out.push(`chain ${w.name}: rewrite ${name} is missing`);
    else if (live !== rule) {
      out.push(`chain ${w.name}: rewrite ${name} changed: live "${live}", expected "${rule}"`);
    }
  }
  for (const [name] of have.m) {
    if (!want.m.has(name)) out.push(`chain ${w.name}: rewrite ${name} is not declared`);
  }
  for (const r of have.anon) out.push(`chain ${w.name}: rule added outside ipn: "${r}"`);
  const order = (rs: string[]) => rs.map(ruleName).filter((n) => n !== undefined).join(",");
  if (out.length === before && order(w.rules) !== order(h.rules)) {
    out.push(`chain ${w.name}: rules are in another order`);
  }
}
