import { useLocale } from "../i18n";

// A list's or page's state while it is not simply shown: what went wrong (read out at once),
// or that it is still loading (read out politely).
export function Failure({ message }: { message: string | null }) {
  const { t } = useLocale();
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {t("app.error", { message })}
    </p>
  );
}

export function Loading() {
  const { t } = useLocale();
  return <p aria-live="polite">{t("app.loading")}</p>;
}
