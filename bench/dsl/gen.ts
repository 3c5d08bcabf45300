/**
 * Generated inputs for the language benchmark: an .ipn configuration with a
 * given number of statements, and an nftables ruleset of the same shape
 * (one set and one chain per network, one rule per rewrite, bind and
 * endpoint line, about one line per ipn statement) for `nft -c -f`.
 *
 * @module
 */

/** A generated pair of inputs. */
export interface Generated {
  ipn: string;
  nft: string;
  /** Statements in the .ipn text (lines that start a statement). */
  statements: number;
  /** Resources its Plan will hold. */
  resources: number;
  /** Rules, set elements and declarations in the nft text. */
  nftItems: number;
}

const ip = (i: number, host: number) => `10.${(i >> 8) & 255}.${i & 255}.${host}`;

/** Generate about `statements` statements (whole blocks, so a few more). */
export function generate(statements: number): Generated {
  const ipn: string[] = ['let run = "/run/ipn/bench"', ""];
  const nft: string[] = ["table inet ipnbench {"];
  const pre: string[] = [];
  const out: string[] = [];
  let n = 1;
  let resources = 0;
  let items = 2;
  for (let i = 0; n < statements; i++) {
    switch (i % 5) {
      case 0:
      case 1:
        ipn.push(
          `network n${i} {`,
          `  path "\${run}/n${i}"`,
          "  policy switch {",
          `    vlan ${10 + (i % 100)} ports 1-8,12`,
          "    trunk ports 15-16 vlans 10,20",
          "  }",
          "  ports 16",
          "  mtu 1514",
          "  queue 128",
          `  tap t${i} {`,
          `    address ${ip(i, 1)}/24`,
          "    port 3",
          "  }",
          "}",
          "",
        );
        n += 10;
        resources += 2;
        nft.push(
          `  set n${i} {`,
          "    type ipv4_addr; flags interval",
          `    elements = { ${ip(i, 0)}/24 }`,
          "  }",
          `  chain n${i} {`,
          `    iifname "t${i}" ip daddr @n${i} udp dport { 1-8, 12 } counter accept`,
          `    meta mark ${10 + (i % 100)} udp dport 15-16 counter accept`,
          "    meta length > 1514 drop",
          "    limit rate 128/second accept",
          "  }",
        );
        items += 8;
        break;
      case 2:
        ipn.push(
          `network c${i} {`,
          `  path "\${run}/c${i}"`,
          "  policy concast {",
          "    key field u16 at 0",
          "    merge sum field u32 at 4",
          "    done after 8 or 100ms",
          "  }",
          "}",
          "",
        );
        n += 6;
        resources += 1;
        nft.push(
          `  chain c${i} {`,
          `    meta mark ${i} @th,0,16 0x1 counter`,
          `    meta mark ${i} @th,32,32 0x4 counter accept`,
          "    limit rate 8/second accept",
          "  }",
        );
        items += 4;
        break;
      case 3:
        ipn.push(
          `rewrite r${i} {`,
          `  from if${i % 10}`,
          `  match udp dst 239.${i & 255}.0.0/16 port 10000`,
          "  to unicast eth0",
          "}",
          "",
        );
        n += 4;
        resources += 1;
        pre.push(
          `    iifname "if${i % 10}" ip daddr 239.${i & 255}.0.0/16 udp dport 10000 counter accept`,
        );
        items += 1;
        break;
      default:
        ipn.push(
          `bind b${i} {`,
          "  when env ND",
          "  except tcp port 6000-6063",
          "  except loopback",
          "}",
          "",
          `endpoint e${i} {`,
          `  inet ${ip(i, 5)} port 5432`,
          "}",
          "",
        );
        n += 6;
        resources += 2;
        out.push(
          `    meta skuid ${1000 + (i % 1000)} tcp dport 6000-6063 accept`,
          `    meta skuid ${1000 + (i % 1000)} oifname "lo" accept`,
          `    ip daddr ${ip(i, 5)} tcp dport 5432 counter accept`,
        );
        items += 3;
    }
  }
  nft.push(
    "  chain pre {",
    "    type filter hook prerouting priority -150; policy accept;",
    ...pre,
    "  }",
  );
  nft.push(
    "  chain out {",
    "    type filter hook output priority 0; policy accept;",
    ...out,
    "  }",
  );
  nft.push("}");
  return {
    ipn: ipn.join("\n"),
    nft: nft.join("\n") + "\n",
    statements: n,
    resources,
    nftItems: items,
  };
}
