import { readFileSync } from 'node:fs';

// Which characters a TrueType font can draw, read from its cmap table. resvg silently leaves out a glyph the
// loaded fonts lack, so a name is drawn only when every character is covered (never half a name).

/** Code points with a real glyph (not .notdef) in the font's Unicode cmap. */
export function fontCoverage(file: string): ReadonlySet<number> {
  const b = readFileSync(file);
  const tables = b.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i += 1) {
    const rec = 12 + i * 16;
    if (b.toString('latin1', rec, rec + 4) === 'cmap') cmap = b.readUInt32BE(rec + 8);
  }
  if (cmap < 0) throw new Error(`${file} has no cmap table`);
  const subtables = b.readUInt16BE(cmap + 2);
  let full = -1;
  let bmp = -1;
  for (let i = 0; i < subtables; i += 1) {
    const rec = cmap + 4 + i * 8;
    const platform = b.readUInt16BE(rec);
    const encoding = b.readUInt16BE(rec + 2);
    const at = cmap + b.readUInt32BE(rec + 4);
    if (platform === 3 && encoding === 10 && b.readUInt16BE(at) === 12) full = at;
    if (platform === 3 && encoding === 1 && b.readUInt16BE(at) === 4) bmp = at;
  }
  if (full >= 0) return format12(b, full);
  if (bmp >= 0) return format4(b, bmp);
  throw new Error(`${file} has no Unicode cmap`);
}

function format12(b: Buffer, at: number): Set<number> {
  const out = new Set<number>();
  const groups = b.readUInt32BE(at + 12);
  for (let g = 0; g < groups; g += 1) {
    const rec = at + 16 + g * 12;
    const start = b.readUInt32BE(rec);
    const end = b.readUInt32BE(rec + 4);
    const glyph = b.readUInt32BE(rec + 8);
    for (let c = start; c <= end; c += 1) if (glyph + (c - start) !== 0) out.add(c);
  }
  return out;
}

function format4(b: Buffer, at: number): Set<number> {
  const out = new Set<number>();
  const segs = b.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const offsets = deltas + segs * 2;
  for (let s = 0; s < segs; s += 1) {
    const start = b.readUInt16BE(starts + s * 2);
    const end = b.readUInt16BE(ends + s * 2);
    const delta = b.readInt16BE(deltas + s * 2);
    const rangeOffset = b.readUInt16BE(offsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c += 1) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = b.readUInt16BE(offsets + s * 2 + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) out.add(c);
    }
  }
  return out;
}

/** True when every character of `text` has a glyph (white space always does). */
export function drawableWith(coverage: ReadonlySet<number>, text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (!/\s/.test(ch) && !coverage.has(c)) return false;
  }
  return true;
}
