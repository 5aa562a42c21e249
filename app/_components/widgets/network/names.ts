/**
 * How the network's node names read on screen: `w1_21` is written w¹₂₁ (layer as a
 * superscript, "into unit 2 from input 1" as subscripts), `x1` as x₁. Data attributes and
 * URLs keep the plain names.
 */
const SUPER: Record<string, string> = { '1': '¹', '2': '²', '3': '³', '4': '⁴' };
const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄' };

const sub = (digits: string) => [...digits].map((d) => SUB[d] ?? d).join('');

export function prettyName(name: string): string {
  const layered = /^([wbzh])(\d)_(\d+)$/.exec(name);
  if (layered) return `${layered[1]}${SUPER[layered[2]!] ?? layered[2]}${sub(layered[3]!)}`;
  const input = /^x(\d)$/.exec(name);
  if (input) return `x${sub(input[1]!)}`;
  return name;
}
