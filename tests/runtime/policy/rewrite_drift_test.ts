import assert from "node:assert/strict";
import {
  describeDrift,
  isOwned,
  normaliseRule,
  parseListing,
} from "../../../runtime/policy/rewrite_drift.ts";

const WANT = `table netdev ipn_rewrite {
\tcomment "managed by ipn"
\tchain in_if1 {
\t\tcomment "from if1"
\t\ttype filter hook ingress device "if1" priority filter; policy accept;
\t\tip daddr 239.0.0.0/8 udp dport 10000 counter ip daddr set 10.0.0.1 comment "rewrite a"
\t\tip daddr 238.0.0.0/8 udp dport 10000 counter ip daddr set 10.0.0.1 comment "rewrite b"
\t}
}
`;
const T = "table netdev ipn_rewrite";

function live(edit: (s: string) => string = (s) => s): string {
  return edit(WANT.replaceAll("counter ip", "counter packets 12 bytes 3400 ip"));
}

Deno.test("counters are not drift", () => {
  assert.deepEqual(describeDrift(WANT, live()), []);
  assert.equal(
    normaliseRule("\t\tudp dport 1 counter packets 5 bytes 9 drop"),
    "udp dport 1 counter drop",
  );
});

Deno.test("a missing or undeclared table is drift", () => {
  assert.deepEqual(describeDrift(WANT, undefined), [`${T} is missing`]);
  assert.deepEqual(describeDrift("", live()), [`${T} exists but no rewrite is declared`]);
  assert.deepEqual(describeDrift("", undefined), []);
});

Deno.test("edits by hand are named precisely", () => {
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace('"rewrite b"', '"rewrite c"'))),
    ["chain in_if1: rewrite b is missing", "chain in_if1: rewrite c is not declared"],
  );
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace("238.0.0.0/8", "237.0.0.0/8"))),
    [
      'chain in_if1: rewrite b changed: live "ip daddr 237.0.0.0/8 udp dport 10000 counter ' +
      'ip daddr set 10.0.0.1 comment "rewrite b"", expected "ip daddr 238.0.0.0/8 udp dport ' +
      '10000 counter ip daddr set 10.0.0.1 comment "rewrite b""',
    ],
  );
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace("\t}\n}", "\t\tudp dport 9 drop\n\t}\n}"))),
    ['chain in_if1: rule added outside ipn: "udp dport 9 drop"'],
  );
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace('"if1" priority filter', '"if2" priority filter'))),
    [
      'chain in_if1: hook changed: live "comment "from if1" type filter hook ingress device ' +
      '"if2" priority filter; policy accept;", expected "comment "from if1" type filter hook ' +
      'ingress device "if1" priority filter; policy accept;"',
    ],
  );
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace('comment "managed by ipn"', ""))),
    [`${T}: comment is missing, expected "managed by ipn"`],
  );
  assert.deepEqual(
    describeDrift(WANT, live((s) => s.replace("}\n", "}\n\tchain extra {\n\t}\n"))),
    [`${T}: chain extra was added outside ipn`],
  );
  const swapped = live((s) => {
    const l = s.split("\n");
    [l[5], l[6]] = [l[6], l[5]];
    return l.join("\n");
  });
  assert.deepEqual(describeDrift(WANT, swapped), ["chain in_if1: rules are in another order"]);
  assert.deepEqual(
    describeDrift(WANT, `table netdev ipn_rewrite {\n\tcomment "managed by ipn"\n}\n`),
    [`${T}: chain in_if1 is missing`],
  );
});

Deno.test("ownership is the table's comment", () => {
  assert.equal(isOwned(live()), true);
  assert.equal(isOwned("table netdev ipn_rewrite {\n}\n"), false);
  assert.equal(isOwned('table netdev ipn_rewrite {\n\tcomment "mine"\n}\n'), false);
  const t = parseListing(live());
  assert.equal(t.chains.length, 1);
  assert.equal(t.chains[0].rules.length, 2);
  assert.equal(t.chains[0].header.length, 2);
});
