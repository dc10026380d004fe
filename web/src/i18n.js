// UI strings in both languages. Field aliases and layer titles are not here: they come with the
// data (data.layers[].fields[].zh/en, data.layers[].title), so the page and docs/layers.md agree.

const STRINGS = {
  zh: {
    lang_toggle: 'English',
    lang_toggle_title: 'Switch to English',
    search_placeholder: '搜索网格编码或社区名称',
    search_none: '未找到',
    nav_map: '地图',
    nav_areas: '街道与社区',
    nav_charts: '图表',
    nav_gaps: '覆盖缺口',
    nav_sites: '建议选址',
    nav_ledger: '数据问题',
    nav_run: '运行信息',
    legend_title: '图层',
    coverage_controls: '服务圈与缺口',
    kind: '设施类别',
    minutes: '步行分钟',
    profile: '步行人群',
    per_facility: '显示各设施服务圈',
    labels: '网格标注（编码与户数）',
    buildings_zoom: '放大后显示',
    omitted: '未写入本页（见说明）',
    areas_title: '街道与社区统计',
    streets_table: '街道',
    communities_table: '社区',
    col_name: '名称',
    col_code: '代码',
    col_street: '所属街道',
    col_grids: '网格数',
    col_band_share: '户数达标网格比例',
    col_worst_dev: '最大偏差',
    col_households: '户数',
    col_population: '人口',
    col_coverage: '人口覆盖率',
    col_double: '交叉覆盖',
    total_all: '合计（全部）',
    coverage_note: '覆盖率为现状（today）情景下，步行可达的居民比例；交叉覆盖为15分钟内可达两个及以上设施的居民比例。',
    no_coverage: '本次运行未计算覆盖（无 coverage_stats 图层）。',
    no_grids: '本次运行未划分网格（无 grids 图层）。',
    no_areas: '本次运行没有街道或社区图层。',
    charts_title: '图表',
    hist_title: '网格户数分布',
    hist_band: '规定区间 {min}–{max} 户',
    hist_x: '每网格户数',
    hist_y: '网格数',
    hist_in: '区间内',
    hist_out: '区间外',
    hist_dedicated: '（不含专属网格 {n} 个）',
    curve_title: '建议选址累计覆盖率',
    curve_x: '新增站点数',
    curve_y: '累计覆盖率（%）',
    curve_today: '现状',
    curve_facts: '方案目标值 {incumbent}，目标值上界 {bound}，最优性差距 {gap}%（覆盖量单位：{weight}）',
    no_sites: '本次运行未进行选址（无 proposed_sites 图层）。',
    sites_title: '建议选址',
    gaps_title: '最大的覆盖缺口',
    gaps_caption: '{kind}，{minutes} 分钟：共 {n} 处缺口，按未覆盖人口排序（前 {top} 处）',
    gaps_total: '全部 {n} 处',
    no_gaps: '本次运行没有覆盖缺口图层。',
    no_gaps_sel: '所选类别与分钟数下没有缺口。',
    ledger_title: '数据问题台账汇总',
    ledger_count: '条数',
    no_ledger: '本次运行没有数据问题台账。',
    run_title: '运行参数、输入与数据来源',
    run_generated: '生成程序',
    run_command: '命令',
    run_config: '配置文件',
    run_crs: '工作坐标系',
    run_band: '网格户数区间',
    run_attribution: '数据来源',
    run_inputs: '输入数据',
    in_role: '用途',
    in_path: '文件',
    in_layer: '图层',
    in_n: '读入',
    in_used: '使用',
    in_repaired: '修复',
    in_skipped: '跳过',
    run_notes: '说明',
    run_summary: '运行报告',
    yes: '是',
    no: '否',
    popup_more: '另有 {n} 项',
    band_status: '户数区间状态',
    hh_unit: '户',
    dedicated_label: '专属网格',
    bld_both: '两类设施15分钟内均可达',
    bld_sc: '仅党群服务中心可达',
    bld_ws: '仅暖心驿站可达',
    bld_none: '15分钟内均不可达',
    bld_outside: '不在任何社区内',
    per_facility_on: '各设施',
    all_facilities: '合并',
  },
  en: {
    lang_toggle: '中文',
    lang_toggle_title: '切换到中文',
    search_placeholder: 'Search grid code or community',
    search_none: 'No match',
    nav_map: 'Map',
    nav_areas: 'Streets and communities',
    nav_charts: 'Charts',
    nav_gaps: 'Coverage gaps',
    nav_sites: 'Proposed sites',
    nav_ledger: 'Data issues',
    nav_run: 'Run',
    legend_title: 'Layers',
    coverage_controls: 'Service areas and gaps',
    kind: 'Facility kind',
    minutes: 'Walking minutes',
    profile: 'Walking profile',
    per_facility: 'Show each facility\'s area',
    labels: 'Grid labels (code and households)',
    buildings_zoom: 'drawn when zoomed in',
    omitted: 'not in this page (see notes)',
    areas_title: 'Streets and communities',
    streets_table: 'Streets',
    communities_table: 'Communities',
    col_name: 'Name',
    col_code: 'Code',
    col_street: 'Street',
    col_grids: 'Grids',
    col_band_share: 'Grids in band',
    col_worst_dev: 'Worst deviation',
    col_households: 'Households',
    col_population: 'Population',
    col_coverage: 'Residents covered',
    col_double: 'Covered twice',
    total_all: 'Total (whole area)',
    coverage_note: 'Coverage is the share of residents within walking reach, scenario today; covered twice is the share of residents within 15 minutes of two or more facilities.',
    no_coverage: 'This run computed no coverage (no coverage_stats layer).',
    no_grids: 'This run drew no grids (no grids layer).',
    no_areas: 'This run has no street or community layer.',
    charts_title: 'Charts',
    hist_title: 'Households per grid',
    hist_band: 'band {min}–{max} households',
    hist_x: 'households per grid',
    hist_y: 'grids',
    hist_in: 'in band',
    hist_out: 'outside the band',
    hist_dedicated: '(without {n} dedicated grids)',
    curve_title: 'Cumulative coverage of the proposed sites',
    curve_x: 'new sites',
    curve_y: 'covered (cumulative %)',
    curve_today: 'today',
    curve_facts: 'Objective of the chosen set {incumbent}, proven upper bound {bound}, optimality gap {gap}% (unit: {weight})',
    no_sites: 'This run proposed no sites (no proposed_sites layer).',
    sites_title: 'Proposed sites',
    gaps_title: 'Biggest coverage gaps',
    gaps_caption: '{kind}, {minutes} min: {n} gaps, by residents not covered (first {top})',
    gaps_total: 'all {n} gaps',
    no_gaps: 'This run has no coverage gaps layer.',
    no_gaps_sel: 'No gaps for this kind and minutes.',
    ledger_title: 'Data issues ledger (summary)',
    ledger_count: 'rows',
    no_ledger: 'This run has no data issues ledger.',
    run_title: 'Parameters, inputs and data sources',
    run_generated: 'Generated by',
    run_command: 'Command',
    run_config: 'Configuration',
    run_crs: 'Working CRS',
    run_band: 'Household band of grids',
    run_attribution: 'Data sources',
    run_inputs: 'Inputs',
    in_role: 'Role',
    in_path: 'File',
    in_layer: 'Layer',
    in_n: 'Read',
    in_used: 'Used',
    in_repaired: 'Repaired',
    in_skipped: 'Skipped',
    run_notes: 'Notes',
    run_summary: 'Run report',
    yes: 'yes',
    no: 'no',
    popup_more: '{n} more',
    band_status: 'band status',
    hh_unit: 'hh',
    dedicated_label: 'dedicated',
    bld_both: 'both kinds within 15 min',
    bld_sc: 'party service centre only',
    bld_ws: 'warm station only',
    bld_none: 'neither within 15 min',
    bld_outside: 'outside every community',
    per_facility_on: 'each facility',
    all_facilities: 'dissolved',
  },
};

/** Values of enumerated fields (kind, status, action, level, scenario) shown in words. */
const VALUES = {
  kind: {
    service_centre: { zh: '党群服务中心', en: 'party service centre' },
    warm_station: { zh: '暖心驿站', en: 'warm station' },
    other: { zh: '其他', en: 'other' },
  },
  status: {
    in_band: { zh: '在区间内', en: 'in band' },
    below: { zh: '低于下限', en: 'below the band' },
    above: { zh: '高于上限', en: 'above the band' },
    dedicated: { zh: '专属网格', en: 'dedicated grid' },
    infeasible: { zh: '经证明不可行', en: 'certified infeasible' },
  },
  action: {
    repaired: { zh: '已修复', en: 'repaired' },
    skipped: { zh: '已跳过', en: 'skipped' },
    warned: { zh: '已警示', en: 'warned' },
  },
  profile: {
    adult: { zh: '成人', en: 'adult' },
    elderly: { zh: '老年人', en: 'elderly' },
  },
  scenario: {
    today: { zh: '现状', en: 'today' },
    after_siting: { zh: '选址后', en: 'after siting' },
  },
  weight: {
    residents: { zh: '居民', en: 'residents' },
    households: { zh: '户', en: 'households' },
    buildings: { zh: '建筑', en: 'buildings' },
    street_m: { zh: '道路米数', en: 'street metres' },
  },
};

let current = 'zh';

/** Sets the page language ("zh" or "en"; anything else falls back to Chinese). */
export function setLang(lang) {
  current = lang === 'en' ? 'en' : 'zh';
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

export function lang() {
  return current;
}

/** A UI string, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.zh[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** The words for an enumerated value (kind, status…), or the value itself when unknown. */
export function valueLabel(field, value) {
  const v = VALUES[field]?.[value];
  return v ? v[current] : value;
}

/** True when the field's values are shown through valueLabel. */
export function isEnumField(field) {
  return field in VALUES;
}

/** Text in the current language of a {zh, en} pair (layer titles, notes). */
export function pick(pair) {
  if (pair == null) return '';
  if (typeof pair === 'string') return pair;
  return pair[current] ?? pair.zh ?? pair.en ?? '';
}
