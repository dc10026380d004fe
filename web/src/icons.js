// Map images drawn on a canvas in the page: facility symbols, the numbered stars of proposed
// sites, the hatch of coverage gaps and the grid labels. MapLibre draws text only with glyphs
// fetched from a URL; the page has none (no network), so every label is an image drawn with the
// fonts installed on the reader's computer (CJK included) and placed by a symbol layer, which
// keeps MapLibre's collision handling (labels never overlap).

export const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

export const FACILITY_STYLE = {
  service_centre: { color: '#c80000', shape: 'square' },
  warm_station: { color: '#ff7f00', shape: 'triangle' },
  other: { color: '#787878', shape: 'circle' },
};

function canvas(w, h, ratio) {
  const c = document.createElement('canvas');
  c.width = Math.ceil(w * ratio);
  c.height = Math.ceil(h * ratio);
  const ctx = c.getContext('2d');
  ctx.scale(ratio, ratio);
  return { c, ctx };
}

function image(c) {
  const ctx = c.getContext('2d');
  return ctx.getImageData(0, 0, c.width, c.height);
}

/** Path of a facility symbol of the given shape centred in a size × size box. */
function shapePath(ctx, shape, size) {
  const m = size / 2;
  const r = size / 2 - 2;
  ctx.beginPath();
  if (shape === 'square') ctx.rect(m - r * 0.8, m - r * 0.8, r * 1.6, r * 1.6);
  else if (shape === 'triangle') {
    ctx.moveTo(m, m - r);
    ctx.lineTo(m + r * 0.95, m + r * 0.75);
    ctx.lineTo(m - r * 0.95, m + r * 0.75);
    ctx.closePath();
  } else ctx.arc(m, m, r * 0.8, 0, 2 * Math.PI);
}

/** The symbol of a facility kind (image and pixel ratio for map.addImage). */
export function facilityIcon(kind, ratio) {
  const st = FACILITY_STYLE[kind] ?? FACILITY_STYLE.other;
  const size = 18;
  const { c, ctx } = canvas(size, size, ratio);
  shapePath(ctx, st.shape, size);
  ctx.fillStyle = st.color;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  return image(c);
}

/** A small swatch of a facility symbol for the legend (a data: URL). */
export function facilitySwatch(kind) {
  const st = FACILITY_STYLE[kind] ?? FACILITY_STYLE.other;
  const { c, ctx } = canvas(16, 16, 2);
  shapePath(ctx, st.shape, 16);
  ctx.fillStyle = st.color;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  return c.toDataURL();
}

function starPath(ctx, cx, cy, outer, inner) {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    ctx.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
  }
  ctx.closePath();
}

/** A gold star with the site's rank in it. */
export function siteIcon(rank, ratio) {
  const size = 34;
  const { c, ctx } = canvas(size, size, ratio);
  starPath(ctx, size / 2, size / 2 + 1, size / 2 - 1, size / 4.2);
  ctx.fillStyle = '#ffd700';
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#780000';
  ctx.stroke();
  ctx.fillStyle = '#3a0000';
  ctx.font = `bold ${rank >= 10 ? 10 : 12}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(rank), size / 2, size / 2 + 2);
  return image(c);
}

/** The star swatch of the legend. */
export function siteSwatch() {
  const { c, ctx } = canvas(16, 16, 2);
  starPath(ctx, 8, 8.5, 7.5, 3.4);
  ctx.fillStyle = '#ffd700';
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#780000';
  ctx.stroke();
  return c.toDataURL();
}

/** The diagonal hatch pattern of coverage gaps. */
export function hatchPattern(ratio, color = '#b5004e') {
  const size = 8;
  const { c, ctx } = canvas(size, size, ratio);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.3;
  ctx.beginPath();
  ctx.moveTo(0, size);
  ctx.lineTo(size, 0);
  ctx.moveTo(-size / 2, size / 2);
  ctx.lineTo(size / 2, -size / 2);
  ctx.moveTo(size / 2, size + size / 2);
  ctx.lineTo(size + size / 2, size / 2);
  ctx.stroke();
  return image(c);
}

/** A two-line label (grid code, households) on a light halo box. */
export function labelImage(lines, ratio) {
  const fontSize = 11;
  const pad = 3;
  const lineH = fontSize + 2;
  const probe = canvas(1, 1, 1).ctx;
  probe.font = `${fontSize}px ${FONT}`;
  const w = Math.ceil(Math.max(...lines.map((l) => probe.measureText(l).width))) + 2 * pad;
  const h = lines.length * lineH + 2 * pad;
  const { c, ctx } = canvas(w, h, ratio);
  ctx.fillStyle = 'rgba(255,255,255,0.78)';
  ctx.fillRect(0, 0, w, h);
  ctx.font = `${fontSize}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => {
    ctx.fillStyle = i === 0 ? '#333333' : '#000000';
    if (i > 0) ctx.font = `bold ${fontSize}px ${FONT}`;
    ctx.fillText(l, w / 2, pad + i * lineH + 1);
  });
  return image(c);
}
