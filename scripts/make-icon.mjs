// Draws media/osa-dev.png (the marketplace icon, 128x128) without image tools: stacked container
// bars and a code chevron on a rounded OpenStack-red tile. Run once when the design changes.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const pixels = Buffer.alloc(size * size * 4);

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distanceToSegment(px, py, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

const chevrons = [
  [44, 92, 30, 104], [30, 104, 44, 116],
  [84, 92, 98, 104], [98, 104, 84, 116],
  [70, 90, 58, 118],
];

for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    let rgba = [0, 0, 0, 0];
    if (inRoundedRect(x, y, 2, 2, 125, 125, 22)) rgba = [218, 26, 50, 255];
    const bar = inRoundedRect(x, y, 22, 18, 106, 42, 5) || inRoundedRect(x, y, 22, 52, 106, 76, 5);
    const slot = (x > 32 && x < 52 && ((y > 27 && y < 33) || (y > 61 && y < 67)));
    if (bar && !slot) rgba = [255, 255, 255, 255];
    if (chevrons.some(([ax, ay, bx, by]) => distanceToSegment(x, y, ax, ay, bx, by) < 4)) rgba = [255, 255, 255, 255];
    pixels.set(rgba, (y * size + x) * 4);
  }
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(buffer) {
  let c = ~0;
  for (const byte of buffer) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8);
const rows = Buffer.concat(Array.from({ length: size }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * size * 4, (y + 1) * size * 4)])));
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync('media/osa-dev.png', png);
console.log(`media/osa-dev.png: ${png.length} bytes`);
