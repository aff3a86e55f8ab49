import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { chineseDate, renderApplicationForm, spread } from '#shared/documents/application-form';

const brand = {
  kind: 'brand' as const,
  years: [2020, 2021],
  form: {
    name: '洪洞护工',
    ownerUnit: '洪洞县职业培训学校',
    address: '山西省临汾市洪洞县',
    leader: '张三',
    officePhone: '0357-6221234',
    mobile: '13812345678',
    trained: { '2020': 420, '2021': 560 },
    output: { '2020': 300, '2021': 350 },
    introduction: '第一段。\n第二段 <含标签> & 符号',
  },
  recommendingUnit: '洪洞县人力资源和社会保障局',
  opinions: { county: { text: '材料真实，同意推荐', signer: '王局长', at: '2021-12-15T02:00:00.000Z' } },
};

/** The unzipped `word/document.xml`, and the text of every `<w:t>` in order (parsing proves it well-formed). */
function documentOf(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  const xml = strFromU8(files['word/document.xml'] ?? new Uint8Array());
  const texts: string[] = [];
  let inText = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    inText = tag.name === 'w:t';
  });
  parser.on('text', (value) => {
    if (inText) texts.push(value);
  });
  parser.on('closetag', () => {
    inText = false;
  });
  parser.write(xml).close();
  return { files, xml, text: texts.join('|') };
}

describe('the application forms as DOCX', () => {
  it('packages a Word document that unzips and parses', () => {
    const { files } = documentOf(renderApplicationForm(brand));
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });

  it('lays out 附件1 with the name, the yearly counts and the recorded county opinion', () => {
    const { text } = documentOf(renderApplicationForm(brand));
    for (const expected of [
      '临汾市级劳务品牌申报认定表',
      '洪洞护工',
      '洪洞县职业培训学校',
      '品牌培训人数',
      '2020年',
      '420',
      '560',
      '300',
      '350',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('材料真实，同意推荐');
    expect(text).toContain('主要负责人（签章）：王局长');
    expect(text).toContain('2021年12月15日');
  });

  it('leaves blank lines for pen and stamp where no opinion exists yet', () => {
    const { text } = documentOf(renderApplicationForm(brand));
    expect(text).toContain('专家考评组意见');
    expect(text).toMatch(/专家签章：\s+年\s+月\s+日/);
  });

  it('escapes markup in what applicants typed instead of breaking the document', () => {
    const { text, xml } = documentOf(renderApplicationForm(brand));
    expect(text).toContain('第二段 <含标签> & 符号');
    expect(xml).not.toContain('<含标签>');
  });

  it('lays out 附件2 for a base with the three output years of its round', () => {
    const { text } = documentOf(
      renderApplicationForm({
        ...brand,
        kind: 'base',
        years: [2019, 2020, 2021],
        form: { ...brand.form, output: { '2019': 900, '2020': 1100, '2021': 1300 } },
      }),
    );
    expect(text).toContain('临汾市市级劳务协作基地申报认定表');
    expect(text).toContain('基地名称');
    expect(text).toContain('协作基地概况');
    for (const expected of ['2019年', '900', '1100', '1300']) expect(text).toContain(expected);
    expect(text).not.toContain('品牌培训人数');
  });
});

describe('layout helpers', () => {
  it('spreads grid columns evenly, the remainder to the last cells', () => {
    expect(spread(3, 2)).toEqual([1, 2]);
    expect(spread(6, 3)).toEqual([2, 2, 2]);
    expect(spread(6, 4)).toEqual([1, 1, 2, 2]);
  });

  it('writes dates as people in Linfen read them, in Asia/Shanghai', () => {
    expect(chineseDate('2021-12-30T16:30:00Z')).toBe('2021年12月31日');
  });
});
