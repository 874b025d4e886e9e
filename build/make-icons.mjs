#!/usr/bin/env node
// Draws Sundial's icons and writes them as PNG files, with nothing but Node (zlib for the
// compression, a 40-line PNG encoder below). Run it after changing a shape or a colour:
//   node build/make-icons.mjs
// and commit the results. Output (deterministic: same input, same bytes):
//   build/icon.png                 512 px app icon (electron-builder makes .icns and .ico from it)
//   build/icons/<N>x<N>.png        Linux icon set (32…512); 256 is also the window and notification icon
//   build/tray/tray-<state>-light.png (+@2x)   for light panels: dark glyph
//   build/tray/tray-<state>-dark.png  (+@2x)   for dark panels: light glyph
//   build/tray/tray[Running|Failed]Template.png (+@2x)   macOS template images (black + alpha)
// where <state> is idle, running or failed (electron/main/tray-icons.ts picks among them).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const buildFolder = path.dirname(fileURLToPath(import.meta.url));

// ------------------------------------------------------------------ PNG encoder

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA bytes (width × height × 4, straight alpha) → PNG file bytes. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  // 10-12: deflate, adaptive filtering, no interlace (all zero)
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ------------------------------------------------------------------ a tiny rasteriser

// Shapes are predicates over unit coordinates (0..1 across the image); each pixel is
// sampled 4×4 times, which is all the anti-aliasing a 16 px icon needs.
const SAMPLES = 4;

const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const segment = (x1, y1, x2, y2, halfWidth) => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= halfWidth * halfWidth;
};
const roundedSquare = (inset, radius) => (x, y) => {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
};
const union = (...shapes) => (x, y) => shapes.some((shape) => shape(x, y));

/** `count` rays around (cx, cy) from radius `from` to `to`. */
function rays(cx, cy, count, from, to, halfWidth, offset = 0) {
  return union(
    ...Array.from({ length: count }, (_, index) => {
      const angle = offset + (index * 2 * Math.PI) / count;
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      return segment(cx + c * from, cy + s * from, cx + c * to, cy + s * to, halfWidth);
    }),
  );
}

class Canvas {
  constructor(size) {
    this.size = size;
    this.pixels = new Float64Array(size * size * 4); // premultiplied RGBA, 0..1
  }

  /** Paints `shape` in `colour` ([r, g, b] 0..255, alpha 0..1) over what is there. */
  fill(shape, colour, alpha = 1) {
    this.#each(shape, (index, coverage) => {
      const a = alpha * coverage;
      for (let channel = 0; channel < 3; channel++) {
        this.pixels[index + channel] = (colour[channel] / 255) * a + this.pixels[index + channel] * (1 - a);
      }
      this.pixels[index + 3] = a + this.pixels[index + 3] * (1 - a);
    });
  }

  /** Makes `shape` transparent again (cut-outs in template images). */
  erase(shape) {
    this.#each(shape, (index, coverage) => {
      for (let channel = 0; channel < 4; channel++) this.pixels[index + channel] *= 1 - coverage;
    });
  }

  #each(shape, apply) {
    const { size } = this;
    for (let py = 0; py < size; py++) {
      for (let px = 0; px < size; px++) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) {
            if (shape((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) hits++;
          }
        }
        if (hits > 0) apply((py * size + px) * 4, hits / (SAMPLES * SAMPLES));
      }
    }
  }

  png() {
    const { size } = this;
    const bytes = Buffer.alloc(size * size * 4);
    for (let index = 0; index < size * size * 4; index += 4) {
      const alpha = this.pixels[index + 3];
      for (let channel = 0; channel < 3; channel++) {
        bytes[index + channel] = alpha > 0 ? Math.round((this.pixels[index + channel] / alpha) * 255) : 0;
      }
      bytes[index + 3] = Math.round(alpha * 255);
    }
    return encodePng(size, size, bytes);
  }
}

// ------------------------------------------------------------------ the drawings

const NIGHT = [29, 43, 79];
const SUN = [246, 180, 14];
const SHADOW = [20, 28, 52];
const INK_ON_LIGHT = [32, 32, 32];
const INK_ON_DARK = [240, 240, 240];
const BLACK = [0, 0, 0];
const RUNNING = [47, 128, 237];
const FAILED = [229, 72, 77];
const WHITE = [255, 255, 255];

/** The app icon: a sun over a night-blue tile, with a sundial's shadow line across it. */
function appIcon(size) {
  const canvas = new Canvas(size);
  canvas.fill(roundedSquare(0.04, 0.2), NIGHT);
  canvas.fill(rays(0.5, 0.5, 12, 0.3, 0.41, 0.026), SUN);
  canvas.fill(disc(0.5, 0.5, 0.23), SUN);
  // The gnomon's shadow: from the centre towards four o'clock, like a dial's hand.
  const angle = Math.PI / 6;
  canvas.fill(segment(0.5, 0.5, 0.5 + Math.cos(angle) * 0.19, 0.5 + Math.sin(angle) * 0.19, 0.03), SHADOW);
  canvas.fill(disc(0.5, 0.5, 0.04), SHADOW);
  return canvas.png();
}

const BADGE = { cx: 0.76, cy: 0.76, r: 0.22, gap: 0.09 };

/**
 * The tray glyph: a small sun. `running` adds a dot badge, `failed` a badge with a cross.
 * Template images cannot use colour, so their badges are cut out of a solid dot instead.
 */
function trayIcon(size, state, ink, template) {
  const canvas = new Canvas(size);
  const glyph = union(disc(0.42, 0.42, 0.19), rays(0.42, 0.42, 8, 0.28, 0.4, 0.055));
  canvas.fill(glyph, ink);
  if (state === "idle") return canvas.png();

  const badge = disc(BADGE.cx, BADGE.cy, BADGE.r);
  canvas.erase(disc(BADGE.cx, BADGE.cy, BADGE.r + BADGE.gap));
  const colour = template ? BLACK : state === "running" ? RUNNING : FAILED;
  canvas.fill(badge, colour);
  if (state === "failed") {
    const d = BADGE.r * 0.45;
    const cross = union(
      segment(BADGE.cx - d, BADGE.cy - d, BADGE.cx + d, BADGE.cy + d, 0.04),
      segment(BADGE.cx - d, BADGE.cy + d, BADGE.cx + d, BADGE.cy - d, 0.04),
    );
    if (template) canvas.erase(cross);
    else canvas.fill(cross, WHITE);
  } else if (template) {
    // A ring rather than a dot, so "running" and "failed" differ in shape, not only colour.
    canvas.erase(disc(BADGE.cx, BADGE.cy, BADGE.r * 0.45));
  }
  return canvas.png();
}

// ------------------------------------------------------------------ output

function write(relative, bytes) {
  const file = path.join(buildFolder, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  console.log(`${relative} (${bytes.length} bytes)`);
}

write("icon.png", appIcon(512));
for (const size of [32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, appIcon(size));

const TEMPLATE_NAMES = { idle: "trayTemplate", running: "trayRunningTemplate", failed: "trayFailedTemplate" };
for (const state of ["idle", "running", "failed"]) {
  for (const [scale, suffix] of [[16, ""], [32, "@2x"]]) {
    write(`tray/tray-${state}-light${suffix}.png`, trayIcon(scale, state, INK_ON_LIGHT, false));
    write(`tray/tray-${state}-dark${suffix}.png`, trayIcon(scale, state, INK_ON_DARK, false));
    write(`tray/${TEMPLATE_NAMES[state]}${suffix}.png`, trayIcon(scale, state, BLACK, true));
  }
}
