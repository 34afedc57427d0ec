import type { ButtonHTMLAttributes } from "react";

/**
 * A form's submit button that does not submit twice while the form is on its way. It is marked
 * aria-disabled rather than disabled: a disabled button loses the keyboard focus, which then starts
 * again at the top of the page, and a screen reader stops hearing where it was.
 */
export function SubmitButton({ busy, onClick, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return (
    <button
      type="submit"
      {...props}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) event.preventDefault();
        onClick?.(event);
      }}
    />
  );
}
