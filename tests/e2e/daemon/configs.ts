/** Configurations the daemon tests apply, parameterised by the world's directory. */

export interface NetSpec {
  name: string;
  path?: string;
  policy?: string;
  mode?: string;
  taps?: { name: string; addresses: string[] }[];
}

export function config(runDir: string, nets: NetSpec[]): string {
  return nets.map((n) => {
    const taps = (n.taps ?? []).map((t) =>
      `  tap ${t.name} {\n${t.addresses.map((a) => `    address ${a}\n`).join("")}  }\n`
    ).join("");
    return `network ${n.name} {\n  path "${n.path ?? `${runDir}/${n.name}`}"\n  policy ${
      n.policy ?? "switch"
    }\n` +
      `  access { owner root group root mode ${n.mode ?? "0660"} }\n${taps}}\n`;
  }).join("\n");
}

/** A lab: N networks, each with one tap, distinct subnets. */
export function lab(n: number, prefix = "t"): NetSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `net${i}`,
    taps: [{ name: `${prefix}${i}`, addresses: [`10.${50 + i}.0.1/24`] }],
  }));
}
