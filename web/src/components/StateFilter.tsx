import { useLocale, word } from "../i18n";
import type { MessageKey } from "../i18n/en";

// A log's "Show" filter: every entry, or those in one state (each state's name from the
// `group` of words).
export function StateFilter({
  id,
  value,
  onChange,
  states,
  group,
  all,
}: {
  id: string;
  value: string;
  onChange: (state: string) => void;
  states: string[];
  group: string;
  all: MessageKey;
}) {
  const { t } = useLocale();
  return (
    <div className="field">
      <label htmlFor={id}>{t("outbox.show")}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t(all)}</option>
        {states.map((s) => (
          <option key={s} value={s}>
            {word(t, group, s)}
          </option>
        ))}
      </select>
    </div>
  );
}
