/** The day the demo data is laid around in tests, so dates in assertions are stable. */
export const DEMO_TODAY = "2026-11-26";
