import { useEffect, useState } from "react";

/** "Skriv ut", shown only once JavaScript runs (without it, the browser's own print command works). */
export function PrintButton() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="button button--secondary" onClick={() => window.print()}>
      Skriv ut
    </button>
  );
}
