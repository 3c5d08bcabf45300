/**
 * Generated inputs for the language benchmark: an .ipn configuration with a
 * given number of statements, and an nftables ruleset of the same shape for
 * `nft -c -f` (a set and a chain per network, a chain per concast network,
 * a rule per rewrite, bind and endpoint line; about one nft line per ipn
 * statement).
 *
 * The configuration is what a site would write: variables in paths,
 * comments, switch networks with VLANs, access, a tap and sometimes a grab
 * or an uplink, concast networks, rewrites, binds, and endpoints that name
 * a network. It is valid, so the whole pipeline (checks, Plan) runs.
 *
 * @module
 */

/** A generated pair of inputs. */
export interface Generated {
  ipn: string;
  nft: string;
  /** Statements in the .ipn text (each block or setting counts as one). */
  statements: number;
  /** Resources its Plan will hold. */
  resources: number;
  /** Rules, set elements and declarations in the nft text. */
  nftItems: number;
}

const ip = (i: number, host: number) => `10.${(i >> 8) & 255}.${i & 255}.${host}`;

/** Generate about `statements` statements (whole blocks, so a few more). */
export function generate(statements: number): Generated {
  const ipn: string[] = [
    "# Generated for the language benchmark.",
    'let run = "/run/ipn/bench"',
    'let owner = "ipn"',
    "",
  ];
  const nft: string[] = ["table inet ipnbench {"];
  const pre: string[] = [];
  const out: string[] = [];
  let n = 2;
  let resources = 0;
  let items = 2;
  // The last switch network declared, for endpoints to name.
  let lastNet = "";
  for (let i = 0; n < statements; i++) {
    switch (i % 6) {
      case 0:
      case 1: {
        const grab = i % 5 === 0;
        const uplink = i % 20 === 1;
        lastNet = `n${i}`;
        ipn.push(
          `# segment ${i}: a switch with a VLAN and a trunk${grab ? ", and a host port" : ""}`,
          `network n${i} {`,
          `  path "\${run}/n${i}"`,
          `  description "bench segment ${i}"`,
          "  policy switch {",
          `    vlan ${10 + (i % 100)} ports 1-8,12`,
          "    trunk ports 15-16 vlans 10,20",
          "  }",
          "  ports 16",
          "  mtu 1514",
          "  queue 128",
          "  access {",
          '    owner "${owner}"',
          "    group netdev",
          "    mode 0660",
          "  }",
          `  tap t${i} {`,
          `    address ${ip(i, 1)}/24`,
          "    port 3",
          "  }",
        );
        n += 16;
        resources += 2;
        nft.push(
          `  set n${i} {`,
          "    type ipv4_addr; flags interval",
          `    elements = { ${ip(i, 0)}/24 }`,
          "  }",
          `  chain n${i} {`,
          `    comment "bench segment ${i}"`,
          `    iifname "t${i}" ip daddr @n${i} udp dport { 1-8, 12 } counter accept`,
          `    meta mark ${10 + (i % 100)} udp dport 15-16 counter accept`,
          "    meta length > 1514 drop",
          "    limit rate 128/second accept",
          `    meta skuid "root" meta skgid 0 counter accept`,
          `    meta mark 0x660 counter accept`,
        );
        items += 10;
        if (grab) {
          ipn.push(`  grab g${i} {`, "    port 4", "  }");
          n += 2;
          resources += 1;
          nft.push(`    iifname "g${i}" counter accept`);
          items += 1;
        }
        if (uplink) {
          ipn.push(
            "  uplink vxlan {",
            `    vni ${1000 + i}`,
            `    remote 192.0.2.${1 + (i % 250)}`,
            "  }",
          );
          n += 3;
          resources += 1;
          nft.push(`    udp dport 4789 ip saddr 192.0.2.${1 + (i % 250)} counter accept`);
          items += 1;
        }
        ipn.push("}", "");
        nft.push("  }");
        break;
      }
      case 2:
        ipn.push(
          `network c${i} {`,
          `  path "\${run}/c${i}"`,
          "  policy concast {",
          "    key field u16 at 0 # flow id",
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
      case 4:
        ipn.push(
          `bind b${i} {`,
          "  when env ND",
          "  except tcp port 6000-6063 # X11",
          "  except loopback",
          "}",
          "",
        );
        n += 4;
        resources += 1;
        out.push(
          `    meta skuid ${1000 + (i % 1000)} tcp dport 6000-6063 accept`,
          `    meta skuid ${1000 + (i % 1000)} oifname "lo" accept`,
        );
        items += 2;
        break;
      default:
        ipn.push(
          `endpoint e${i} {`,
          `  inet ${ip(i, 5)} port 5432`,
          `  ipn network ${lastNet}`,
          "}",
          "",
        );
        n += 3;
        resources += 1;
        out.push(
          `    ip daddr ${ip(i, 5)} tcp dport 5432 counter accept`,
          `    meta mark ${i} counter accept`,
        );
        items += 2;
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
