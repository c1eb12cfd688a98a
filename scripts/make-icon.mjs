#!/usr/bin/env node
// Draws images/icon.png (128×128, the Marketplace icon): a page of text lines, some faded (boilerplate), one
// highlighted as a quotation with a speaker marker. Pure Node (zlib), so it is reproducible byte for byte.
import {deflateSync} from 'node:zlib';
import {writeFileSync} from 'node:fs';

const S = 128;
const AA = 4;
const bg = [29, 53, 87];
const shapes = [];
const rect = (x, y, w, h, r, color, alpha = 1) => shapes.push({x, y, w, h, r, color, alpha});
// The page.
rect(8, 8, 112, 112, 22, bg);
// Text lines: faded chrome, the story, a quotation.
rect(24, 26, 50, 8, 4, [241, 250, 238], 0.28);
rect(24, 42, 80, 8, 4, [241, 250, 238], 1);
rect(24, 58, 70, 8, 4, [244, 162, 97], 1);
rect(24, 74, 80, 8, 4, [241, 250, 238], 1);
rect(24, 90, 40, 8, 4, [241, 250, 238], 0.28);
// The quote marks beside the quotation.
rect(100, 54, 6, 10, 3, [244, 162, 97], 1);
rect(108, 54, 6, 10, 3, [244, 162, 97], 1);

const inside = (s, px, py) => {
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r ** 2 && px >= s.x && px <= s.x + s.w && py >= s.y && py <= s.y + s.h;
};

const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
  raw[y * (S * 4 + 1)] = 0;
  for (let x = 0; x < S; x++) {
    let acc = [0, 0, 0, 0];
    for (let sy = 0; sy < AA; sy++) {
      for (let sx = 0; sx < AA; sx++) {
        const px = x + (sx + 0.5) / AA;
        const py = y + (sy + 0.5) / AA;
        let c = [0, 0, 0, 0];
        for (const s of shapes) {
          if (!inside(s, px, py)) continue;
          const a = s.alpha;
          const under = c[3] ? c : [...bg, 0];
          c = [under[0] * (1 - a) + s.color[0] * a, under[1] * (1 - a) + s.color[1] * a, under[2] * (1 - a) + s.color[2] * a, 1];
        }
        acc = acc.map((v, i) => v + (i < 3 ? c[i] * c[3] : c[3]));
      }
    }
    const n = AA * AA;
    const alpha = acc[3] / n;
    const o = y * (S * 4 + 1) + 1 + x * 4;
    raw[o] = alpha ? Math.round(acc[0] / acc[3]) : 0;
    raw[o + 1] = alpha ? Math.round(acc[1] / acc[3]) : 0;
    raw[o + 2] = alpha ? Math.round(acc[2] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha * 255);
  }
}

const crcTable = Array.from({length: 256}, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, {level: 9})), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);
