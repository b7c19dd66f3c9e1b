/**
 * Chinese first, English second. Strings are written in place as `L('中文', 'English')`; the
 * product's button labels (【读卡】…) stay Chinese in both languages because they are its vocabulary.
 */
export type Lang = 'zh-CN' | 'en';

let lang: Lang = readLang();

function readLang(): Lang {
  try {
    return globalThis.localStorage?.getItem('tollpad.lang') === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  try {
    globalThis.localStorage?.setItem('tollpad.lang', next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

export function L(zh: string, en: string): string {
  return lang === 'en' ? en : zh;
}
