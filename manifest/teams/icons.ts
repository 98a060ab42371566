import { encodePng } from './png.js';

// The Teams app icons, drawn from geometry so they are reproducible: a white shield with a check mark.
// Teams wants a full-colour 192×192 icon (symbol on the accent colour) and a 32×32 outline icon that is
// white on transparent only (it is tinted by the client).

export const ACCENT: readonly [number, number, number] = [0x0f, 0x6c, 0xbd];

type Coverage = (u: number, v: number) => boolean;

/** Inside a shield of relative size `s`, centred, in coordinates from -1 to 1 (v grows downwards). */
const shield =
  (s: number): Coverage =>
  (u, v) => {
    const top = -0.62 * s;
    const shoulder = 0.05 * s;
    const tip = 0.8 * s;
    if (v < top || v > tip) return false;
    if (v <= shoulder) return Math.abs(u) <= 0.54 * s;
    const t = (v - shoulder) / (tip - shoulder);
    return Math.abs(u) <= 0.54 * s * (1 - t * t);
  };

const segment = (ax: number, ay: number, bx: number, by: number, width: number): Coverage => {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  return (u, v) => {
    const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / lengthSq));
    const x = ax + t * dx - u;
    const y = ay + t * dy - v;
    return x * x + y * y <= (width / 2) ** 2;
  };
};

const check: Coverage = (u, v) =>
  segment(-0.24, 0.02, -0.07, 0.2, 0.11)(u, v) || segment(-0.07, 0.2, 0.27, -0.2, 0.11)(u, v);

/** Renders `size`×`size` RGBA pixels; `paint` returns the colour and alpha (0–1) at a sub-pixel. */
function render(
  size: number,
  paint: (u: number, v: number) => readonly [number, number, number, number],
): Uint8Array {
  const samples = 4;
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = ((x + (sx + 0.5) / samples) / size) * 2 - 1;
          const v = ((y + (sy + 0.5) / samples) / size) * 2 - 1;
          const [r, g, b, a] = paint(u, v);
          acc[0] = (acc[0] ?? 0) + r * a;
          acc[1] = (acc[1] ?? 0) + g * a;
          acc[2] = (acc[2] ?? 0) + b * a;
          acc[3] = (acc[3] ?? 0) + a;
        }
      }
      const alpha = (acc[3] ?? 0) / (samples * samples);
      const at = (y * size + x) * 4;
      const weight = acc[3] === 0 ? 1 : (acc[3] ?? 1);
      out[at] = Math.round((acc[0] ?? 0) / weight);
      out[at + 1] = Math.round((acc[1] ?? 0) / weight);
      out[at + 2] = Math.round((acc[2] ?? 0) / weight);
      out[at + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

const WHITE = [255, 255, 255] as const;

/** The 192×192 colour icon: white shield and accent check mark on the accent colour. */
export function colorIcon(): Buffer {
  const inShield = shield(0.92);
  const px = render(192, (u, v) =>
    inShield(u, v) && !check(u, v) ? [...WHITE, 1] : [ACCENT[0], ACCENT[1], ACCENT[2], 1],
  );
  return encodePng(192, 192, px);
}

/** The 32×32 outline icon: white shield outline and check mark on transparent. */
export function outlineIcon(): Buffer {
  const outer = shield(1);
  const inner = shield(0.74);
  const px = render(32, (u, v) =>
    (outer(u, v) && !inner(u, v)) || check(u, v) ? [...WHITE, 1] : [...WHITE, 0],
  );
  return encodePng(32, 32, px);
}
