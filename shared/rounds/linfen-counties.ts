import type { County } from '#shared/rounds/schema';

/**
 * The 17 county-level divisions of Linfen (GB/T 2260 codes) with the terrain that sets their
 * recommendation floor: a plain county (平川县) recommends at least one case, a mountain county
 * (山区县) strives for one. Source: shared/data/linfen-counties.csv, embedded so nothing reads files at
 * run time.
 */
export const LINFEN_COUNTIES: readonly County[] = [
  { code: '141002', name: '尧都区', terrain: 'plain' },
  { code: '141081', name: '侯马市', terrain: 'plain' },
  { code: '141082', name: '霍州市', terrain: 'plain' },
  { code: '141021', name: '曲沃县', terrain: 'plain' },
  { code: '141022', name: '翼城县', terrain: 'plain' },
  { code: '141023', name: '襄汾县', terrain: 'plain' },
  { code: '141024', name: '洪洞县', terrain: 'plain' },
  { code: '141025', name: '古县', terrain: 'mountain' },
  { code: '141026', name: '安泽县', terrain: 'mountain' },
  { code: '141027', name: '浮山县', terrain: 'mountain' },
  { code: '141028', name: '吉县', terrain: 'mountain' },
  { code: '141029', name: '乡宁县', terrain: 'mountain' },
  { code: '141030', name: '大宁县', terrain: 'mountain' },
  { code: '141031', name: '隰县', terrain: 'mountain' },
  { code: '141032', name: '永和县', terrain: 'mountain' },
  { code: '141033', name: '蒲县', terrain: 'mountain' },
  { code: '141034', name: '汾西县', terrain: 'mountain' },
];
