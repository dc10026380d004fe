// Numbers for people: households and residents whole, percentages to one decimal, in the
// conventions of the page's language (Intl.NumberFormat zh-CN / en-US).
import { lang, t, valueLabel, isEnumField } from './i18n.js';

const cache = new Map();

function nf(digits) {
  const key = `${lang()}:${digits}`;
  if (!cache.has(key)) {
    const locale = lang() === 'en' ? 'en-US' : 'zh-CN';
    cache.set(key, new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }));
  }
  return cache.get(key);
}

/** A whole number (households, residents, counts). */
export function int(v) {
  return v == null || Number.isNaN(v) ? '' : nf(0).format(Math.round(v));
}

/** A number with a fixed number of decimals. */
export function num(v, digits) {
  return v == null || Number.isNaN(v) ? '' : nf(digits).format(v);
}

/** A percentage to one decimal, with the % sign. */
export function pct(v, digits = 1) {
  return v == null || Number.isNaN(v) ? '' : `${nf(digits).format(v)}%`;
}

/** Decimals a real field is shown with, by its name (as the CSV tables round them). */
function realDigits(name) {
  if (name === 'gap_pct') return 3;
  if (name.endsWith('_pct') || name === 'deviation') return 1;
  if (name === 'area_m2') return 0;
  if (name === 'lon' || name === 'lat') return 6;
  if (name === 'sc_min' || name === 'ws_min' || name === 'floors') return 1;
  if (name === 'gain' || name === 'cum_cov' || name === 'incumbent' || name === 'bound') return 0;
  return 2;
}

/** True for an integer flag field (its English alias says "1 = yes"). */
export function isFlag(field) {
  return field.type === 'integer' && /1 = (yes|own grid)/.test(field.en ?? '');
}

/**
 * A property value formatted for its field (field: {name, type, en, zh}): flags as yes/no,
 * enumerations (kind, status…) in words, integers whole, reals by the field's rounding.
 */
export function value(field, v) {
  if (v == null || v === '') return '—';
  if (isFlag(field)) return Number(v) === 1 ? t('yes') : t('no');
  if (field.type === 'integer') return int(Number(v));
  if (field.type === 'real') {
    const d = realDigits(field.name);
    const s = num(Number(v), d);
    return field.name.endsWith('_pct') || field.name === 'deviation' ? `${s}%` : s;
  }
  if (isEnumField(field.name)) return valueLabel(field.name, v);
  return String(v);
}
