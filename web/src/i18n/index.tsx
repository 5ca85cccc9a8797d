import { createContext, useContext, useEffect, useMemo, type ReactNode } from "react";
import { I18nProvider } from "react-aria-components";
import { en, isMessageKey, type MessageKey, type Messages } from "./en";
import { zhCN } from "./zh-CN";

// ONB-11: the UI speaks the user's language — from their profile once signed in, before that
// the one chosen here or the browser's — and writes times in their time zone.
export type Language = "en" | "zh-CN";
export const languages: { code: Language; name: string }[] = [
  { code: "zh-CN", name: "简体中文" },
  { code: "en", name: "English" },
];
const catalogs: Record<Language, Messages> = { en, "zh-CN": zhCN };

export function preferredLanguage(): Language {
  const chosen = localStorage.getItem("tandem.language");
  if (chosen === "en" || chosen === "zh-CN") return chosen;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export interface Locale {
  language: Language;
  timeZone: string;
  t: (key: MessageKey, values?: Record<string, string>) => string;
  dateTime: (iso: string) => string;
}

const LocaleContext = createContext<Locale | null>(null);

export function LocaleProvider(props: { language: Language; timeZone?: string; children: ReactNode }) {
  const locale = useMemo<Locale>(() => {
    const messages = catalogs[props.language];
    const timeZone = props.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
    const format = new Intl.DateTimeFormat(props.language, { dateStyle: "medium", timeStyle: "short", timeZone });
    return {
      language: props.language,
      timeZone,
      t: (key, values) =>
        messages[key].replace(/\{(\w+)\}/g, (whole: string, name: string) => values?.[name] ?? whole),
      dateTime: (iso) => format.format(new Date(iso)),
    };
  }, [props.language, props.timeZone]);
  useEffect(() => {
    document.documentElement.lang = props.language;
  }, [props.language]);
  return (
    <LocaleContext.Provider value={locale}>
      <I18nProvider locale={props.language}>{props.children}</I18nProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): Locale {
  const locale = useContext(LocaleContext);
  if (!locale) throw new Error("useLocale outside LocaleProvider");
  return locale;
}

// A word from a fixed set the API answers with (a status, a task state), in the UI's language;
// the API's own word for one this UI does not know yet.
export function word(t: Locale["t"], group: string, value: string): string {
  const key = `${group}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}
