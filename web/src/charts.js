// The two charts (Chart.js, only the parts used are bundled): households per grid against the
// band, and the cumulative coverage of the proposed sites by rank.
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler,
} from 'chart.js';
import { t, valueLabel, lang } from './i18n.js';
import * as fmt from './format.js';
import { STATUS_COLORS } from './map.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
Chart.defaults.animation = false;

const charts = [];

/** Destroys the charts drawn before (the page redraws them on a language switch). */
export function destroyCharts() {
  while (charts.length) charts.pop().destroy();
}

/** Dashed vertical lines at the band's limits, between the bins they separate. */
const bandLines = {
  id: 'gpBandLines',
  afterDatasetsDraw(chart, _args, opts) {
    const x = chart.scales.x;
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#1b5e20';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.fillStyle = '#1b5e20';
    ctx.font = `12px ${Chart.defaults.font.family}`;
    ctx.textAlign = 'center';
    for (const { index, label } of opts.lines ?? []) {
      const n = chart.data.labels.length;
      const step = n > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : chart.chartArea.width;
      const px = x.getPixelForValue(Math.min(index, n - 1)) + (index >= n ? step / 2 : -step / 2);
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.fillText(label, px, top + 12);
    }
    ctx.restore();
  },
};

/**
 * Bins of households [lo, hi] (whole numbers, both ends included) with the band's limits on
 * bin edges: four bins inside the band, bins of the same width below and above it.
 */
function bandBins(grids, band) {
  const w = Math.max(1, Math.floor((band.max - band.min + 1) / 4));
  const hh = grids.map((g) => g.households ?? 0);
  const lowest = Math.min(band.min, ...hh);
  const highest = Math.max(band.max, ...hh);
  const bins = [];
  for (let lo = band.min - w * Math.ceil((band.min - lowest) / w); lo < band.min; lo += w) bins.push({ lo: Math.max(0, lo), hi: lo + w - 1 });
  for (let k = 0; k < 4; k++) bins.push({ lo: band.min + k * w, hi: k === 3 ? band.max : band.min + (k + 1) * w - 1 });
  for (let lo = band.max + 1; lo <= highest; lo += w) bins.push({ lo, hi: lo + w - 1 });
  for (const b of bins) b.n = hh.filter((h) => h >= b.lo && h <= b.hi).length;
  return bins;
}

/** Twenty-odd bins of a round width from 0 (no band: no partition limits). */
function plainBins(grids) {
  const hh = grids.map((g) => g.households ?? 0);
  const highest = Math.max(1, ...hh);
  const w = Math.max(1, Math.ceil(highest / 20 / 10) * 10);
  const bins = [];
  for (let lo = 0; lo <= highest; lo += w) bins.push({ lo, hi: lo + w - 1 });
  for (const b of bins) b.n = hh.filter((h) => h >= b.lo && h <= b.hi).length;
  return bins;
}

/** Histogram of households per grid (dedicated grids left out: no band applies). */
export function histogram(canvas, model) {
  const grids = model.features('grids').map((f) => f.properties);
  const banded = grids.filter((g) => g.status !== 'dedicated');
  const band = model.data.band;
  const bins = band ? bandBins(banded, band) : plainBins(banded);
  const labels = bins.map((b) => (Number.isFinite(b.hi) ? `${fmt.int(b.lo)}–${fmt.int(b.hi)}` : `≥ ${fmt.int(b.lo)}`));
  const colors = bins.map((b) => (!band ? '#6baed6' : b.lo >= band.min && b.hi <= band.max ? STATUS_COLORS.in_band
    : b.hi < band.min ? STATUS_COLORS.below : STATUS_COLORS.above));
  const lines = [];
  if (band) {
    lines.push({ index: bins.findIndex((b) => b.lo === band.min), label: fmt.int(band.min) });
    const iAbove = bins.findIndex((b) => b.lo > band.max);
    lines.push({ index: iAbove < 0 ? bins.length : iAbove, label: fmt.int(band.max) });
  }
  const ded = grids.length - banded.length;
  const title = [t('hist_title'), band ? t('hist_band', { min: fmt.int(band.min), max: fmt.int(band.max) }) : '', ded ? t('hist_dedicated', { n: fmt.int(ded) }) : '']
    .filter(Boolean).join(lang() === 'en' ? ', ' : '，');
  canvas.setAttribute('aria-label', title);
  charts.push(new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: t('hist_y'), data: bins.map((b) => b.n), backgroundColor: colors, borderColor: '#333', borderWidth: 0.5, categoryPercentage: 1, barPercentage: 0.95 }] },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        title: { display: false },
        gpBandLines: { lines },
        tooltip: { callbacks: { label: (c) => `${t('hist_y')}: ${fmt.int(c.raw)}` } },
      },
      scales: {
        x: { title: { display: true, text: t('hist_x') }, ticks: { autoSkip: true, maxRotation: 45 } },
        y: { beginAtZero: true, title: { display: true, text: t('hist_y') }, ticks: { precision: 0, callback: (v) => fmt.int(v) } },
      },
    },
    plugins: [bandLines],
  }));
  return title;
}

/** Cumulative coverage (%) after each proposed site, from today's coverage at rank 0. */
export function curve(canvas, model) {
  const sites = model.features('proposed_sites').map((f) => f.properties).sort((a, b) => a.rank - b.rank);
  const first = sites[0];
  const total = first && first.cum_pct > 0 ? (100 * first.cum_cov) / first.cum_pct : null;
  const today = total ? (100 * (first.cum_cov - first.gain)) / total : null;
  const labels = [t('curve_today'), ...sites.map((s) => `#${s.rank}`)];
  const data = [today, ...sites.map((s) => s.cum_pct)];
  const kind = first ? valueLabel('kind', first.kind) : '';
  charts.push(new Chart(canvas, {
    type: 'line',
    data: { labels, datasets: [{ label: `${kind} ${t('curve_y')}`, data, borderColor: '#b8860b', backgroundColor: 'rgba(255,215,0,0.25)', fill: true, pointBackgroundColor: '#ffd700', pointBorderColor: '#780000', pointRadius: 4, tension: 0 }] },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: true },
        tooltip: { callbacks: { label: (c) => fmt.pct(c.raw) } },
      },
      scales: {
        x: { title: { display: true, text: t('curve_x') } },
        y: { title: { display: true, text: t('curve_y') }, ticks: { callback: (v) => fmt.pct(v, 0) } },
      },
    },
  }));
  const s = first ?? {};
  return t('curve_facts', {
    incumbent: fmt.int(s.incumbent), bound: fmt.int(s.bound),
    gap: fmt.num(s.gap_pct, 3), weight: valueLabel('weight', s.weight),
  });
}
