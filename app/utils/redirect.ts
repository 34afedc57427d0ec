const BASE = "http://portal.invalid";
// C0 and C1 controls and the Unicode line separators: browsers drop some of them from a URL (so "/\t/evil.example"
// becomes "//evil.example", another site) and a Location header cannot carry the others.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The one gate for a redirect target that comes from input (the login
 * form's redirectTo, and any later "back to" parameter). Only a path on this
 * site passes: "/" alone or "/" followed by a character that is not "/", "\"
 * or a control, no control character anywhere, no longer than a URL of ours
 * gets. Anything else falls back to the start page.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000 || !to.startsWith("/") || CONTROL.test(to)) return fallback;
  if (to.length > 1 && (to[1] === "/" || to[1] === "\\")) return fallback;
  // The same reading a browser makes must stay on this site.
  try {
    if (new URL(to, BASE).origin !== BASE) return fallback;
  } catch {
    return fallback;
  }
  return to;
}
