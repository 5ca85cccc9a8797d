import { useState, type FormEvent } from "react";
import { Button, FieldError, Form, Input, Label, TextField } from "react-aria-components";
import { ApiError, signIn, type User } from "../api";
import { useLocale } from "../i18n";

export function Login(props: { onSignedIn: (user: User) => void }) {
  const { t } = useLocale();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setFailure(null);
    try {
      props.onSignedIn(await signIn(String(data.get("email")), String(data.get("password"))));
    } catch (err) {
      setFailure(err instanceof ApiError && err.status === 429 ? t("login.locked") : err instanceof ApiError ? t("login.failed") : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <h1>{t("login.title")}</h1>
      <p className="lead">{t("login.lead")}</p>
      <Form onSubmit={submit} aria-describedby={failure ? "login-failure" : undefined}>
        <TextField name="email" type="email" isRequired autoComplete="username">
          <Label>{t("login.email")}</Label>
          <Input />
          <FieldError>{t("login.required")}</FieldError>
        </TextField>
        <TextField name="password" type="password" isRequired autoComplete="current-password">
          <Label>{t("login.password")}</Label>
          <Input />
          <FieldError>{t("login.required")}</FieldError>
        </TextField>
        {failure && (
          <p id="login-failure" role="alert" className="error">
            {failure}
          </p>
        )}
        <Button type="submit" isDisabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </Button>
      </Form>
    </main>
  );
}
