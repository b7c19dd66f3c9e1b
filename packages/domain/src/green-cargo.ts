/**
 * 《鲜活农产品品种目录》 — the national catalogue of fresh agricultural products that travel free in the green
 * channel (绿色通道): only a whole load of catalogue goods is free; processed goods, flowers, plants, grain are not.
 *
 * Sources: the five categories [S web: https://www.qdnsb.gov.cn/zfbm_1/jtysj/gzdt/202502/t20250218_86909527.html
 * (新鲜蔬菜、水果，鲜活水产品，活的畜禽，新鲜的肉、蛋、奶); the catalogue as the one national list
 * 《鲜活农产品品种目录》 applied under 交公路发〔2019〕99号 (business-rules.md §2) and its 2022 follow-up
 * [S web: http://www.fushenji.com/wsbs/ggfw/sfv/cjwt/t19700101_3443936.shtml]. The items per category are [I]: taken
 * from a third-party copy of the catalogue (https://www.newton.com.tw/wiki/鮮活農產品/9102707), grouped as it groups
 * them; the codes (category letter + two digits) are [P], tollpad's own.
 */

export interface GreenCargoCategory {
  readonly code: string;
  readonly name: string;
  readonly items: readonly GreenCargoItem[];
}

export interface GreenCargoItem {
  /** Category letter + two digits, e.g. V01 [P]. */
  readonly code: string;
  readonly name: string;
}

const category = (code: string, name: string, items: readonly string[]): GreenCargoCategory => ({
  code,
  name,
  items: items.map((n, i) => ({ code: `${code}${String(i + 1).padStart(2, '0')}`, name: n })),
});

export const GREEN_CARGO_CATALOGUE: readonly GreenCargoCategory[] = [
  category('V', '新鲜蔬菜', [
    '白菜类（大白菜、普通白菜、菜薹）',
    '甘蓝类（菜花、芥蓝、西兰花、结球甘蓝）',
    '根菜类（萝卜、胡萝卜、芜菁）',
    '绿叶菜类（芹菜、菠菜、莴笋、生菜、空心菜、香菜、茼蒿、茴香、苋菜、木耳菜）',
    '葱蒜类（洋葱、大葱、香葱、大蒜、蒜苗、蒜苔、韭菜）',
    '茄果类（茄子、青椒、辣椒、西红柿）',
    '豆类（扁豆、荚豆、豇豆、豌豆、四季豆、毛豆、蚕豆、豆芽、豌豆苗）',
    '瓜类（黄瓜、丝瓜、冬瓜、西葫芦、苦瓜、南瓜、佛手瓜、蛇瓜）',
    '水生蔬菜（莲藕、荸荠、水芹、茭白）',
    '新鲜食用菌（平菇、香菇、金针菇、滑菇、蘑菇、木耳）',
    '多年生和杂类蔬菜（竹笋、芦笋、金针菜）',
  ]),
  category('F', '新鲜水果', [
    '仁果类（苹果、梨、海棠、山楂）',
    '核果类（桃、李、杏、杨梅、樱桃）',
    '浆果类（葡萄、提子、草莓、猕猴桃、石榴）',
    '柑橘类（橙、桔、柑、柚、柠檬）',
    '热带及亚热带水果（香蕉、菠萝、龙眼、荔枝、橄榄、枇杷、椰子、芒果、杨桃、木瓜、火龙果、番石榴、榴莲）',
    '什果类（枣、柿子、无花果）',
    '瓜果类（西瓜、甜瓜、哈密瓜、香瓜）',
  ]),
  category('A', '鲜活水产品', ['普通水产品（鱼类、虾类、贝类、蟹类）', '其他水产品（海带、紫菜、海蜇）']),
  category('L', '活的畜禽', [
    '家畜（猪、牛、羊、马、驴、骡）',
    '家禽（鸡、鸭、鹅、鸽）',
    '仔猪',
    '蜜蜂（转地放蜂）',
  ]),
  category('M', '新鲜的肉、蛋、奶', ['新鲜的肉（含冷鲜肉，不含冻肉及加工品）', '新鲜的蛋', '新鲜的奶']),
];

const BY_CODE: ReadonlyMap<string, GreenCargoItem & { category: string }> = new Map(
  GREEN_CARGO_CATALOGUE.flatMap((c) => c.items.map((i) => [i.code, { ...i, category: c.name }] as const)),
);

/** The catalogue item of a code, or undefined when the code is not in the catalogue. */
export function greenCargoItem(code: string): (GreenCargoItem & { category: string }) | undefined {
  return BY_CODE.get(code);
}
