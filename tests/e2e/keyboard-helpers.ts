/**
 * Keyboard-only helpers for Playwright: move focus with Tab and check where it
 * is, never with the mouse. Locators are used only to ask what has focus.
 */
import type { Locator, Page } from "@playwright/test";

/** Presses Tab until the focused element matches, failing after `max` presses. */
export async function tabTo(page: Page, description: string, matches: (el: Element) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const hit = await page.evaluate(
      (fn) => {
        const el = document.activeElement;
        return el ? (new Function("el", `return (${fn})(el)`) as (el: Element) => boolean)(el) : false;
      },
      matches.toString(),
    );
    if (hit) return;
  }
  throw new Error(`Could not reach ${description} with Tab`);
}

/** Whether the (single) element of `target` has focus. */
export async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/** Presses Tab (or Shift+Tab) until `target` has focus, failing after `max` presses. */
export async function tabToElement(page: Page, target: Locator, { max = 60, backwards = false } = {}) {
  await target.waitFor({ state: "attached" });
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    if (await isFocused(target)) return;
  }
  throw new Error(`Could not reach ${target} with ${backwards ? "Shift+Tab" : "Tab"} in ${max} presses`);
}

/** Presses Tab until `reached()` says so, failing after `max` presses. */
export async function tabUntil(page: Page, description: string, reached: () => Promise<boolean>, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await reached()) return;
  }
  throw new Error(`Could not reach ${description} with Tab in ${max} presses`);
}

/** Presses a key (ArrowDown by default) on the focused select until the option labelled `label` is chosen. */
export async function chooseOption(page: Page, select: Locator, label: string, key = "ArrowDown", max = 15) {
  for (let i = 0; i < max; i++) {
    const chosen = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? "");
    if (chosen === label) return;
    await page.keyboard.press(key);
  }
  throw new Error(`Could not choose "${label}" with ${key}`);
}

/** Replaces the text of the focused field by typing, as a user selecting all and typing over it. */
export async function typeOver(page: Page, text: string) {
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}
