import type { ReactNode } from "react";

/**
 * A table that may be wider than a phone: it scrolls sideways inside a
 * labelled region that keyboard users can focus and scroll too.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
