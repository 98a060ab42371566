import { drawable, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.js';
import { encodeRgbPng } from './png.js';

// A tiny RGB raster: filled rectangles and bitmap text, enough for a bar chart. No anti-aliasing, so tests
// can find a bar's exact pixels.

export type Rgb = readonly [number, number, number];

export interface Raster {
  readonly width: number;
  readonly height: number;
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void;
  /** Draws text with its top-left at (x, y), each font pixel `scale`×`scale`; returns the width drawn. */
  text(x: number, y: number, text: string, color: Rgb, scale: number): number;
  png(): Buffer;
}

/** Advance of one character at a scale (glyph plus one pixel of spacing). */
export const charAdvance = (scale: number): number => (GLYPH_WIDTH + 1) * scale;
export const textHeight = (scale: number): number => GLYPH_HEIGHT * scale;

/** Creates a raster filled with `background`. */
export function createRaster(width: number, height: number, background: Rgb): Raster {
  const px = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i += 1) px.set(background, i * 3);

  function fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(width, Math.floor(x + w));
    const y1 = Math.min(height, Math.floor(y + h));
    for (let yy = y0; yy < y1; yy += 1)
      for (let xx = x0; xx < x1; xx += 1) px.set(color, (yy * width + xx) * 3);
  }

  return {
    width,
    height,
    fillRect,
    text(x, y, text, color, scale) {
      let cx = x;
      for (const c of drawable(text)) {
        const rows = glyph(c);
        rows.forEach((bits, row) => {
          for (let col = 0; col < GLYPH_WIDTH; col += 1) {
            if (bits & (1 << (GLYPH_WIDTH - 1 - col)))
              fillRect(cx + col * scale, y + row * scale, scale, scale, color);
          }
        });
        cx += charAdvance(scale);
      }
      return cx - x;
    },
    png: () => encodeRgbPng(width, height, px),
  };
}
