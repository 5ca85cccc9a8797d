import type { FormEvent, ReactNode, RefObject } from "react";
import { Button, Dialog, Heading, Modal } from "react-aria-components";
import { useLocale } from "../i18n";

// Apart from Form.tsx: the dialog machinery stays out of the portal's first load.
// A form in a modal dialog: focus stays inside until it is sent or cancelled (Escape, the
// cancel button or a click outside); a refusal of the whole form is read out.
export function DialogForm(props: {
  isOpen: boolean;
  title: string;
  submitLabel: string;
  refusal: string | null;
  busy?: boolean; // sending: the submit button waits, so one press sends once
  formRef?: RefObject<HTMLFormElement | null>;
  onClose: () => void;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  const { t } = useLocale();
  return (
    <Modal isDismissable isOpen={props.isOpen} onOpenChange={(open) => !open && props.onClose()} className="modal">
      <Dialog className="dialog">
        <form ref={props.formRef} onSubmit={props.onSubmit} noValidate>
          <Heading slot="title">{props.title}</Heading>
          {props.children}
          {props.refusal && (
            <p role="alert" className="error">
              {props.refusal}
            </p>
          )}
          <div className="buttons">
            <Button type="submit" isDisabled={props.busy}>
              {props.submitLabel}
            </Button>
            <Button className="react-aria-Button secondary" onPress={props.onClose}>
              {t("ticket.cancel")}
            </Button>
          </div>
        </form>
      </Dialog>
    </Modal>
  );
}
