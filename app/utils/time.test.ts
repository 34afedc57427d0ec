import { describe, expect, it } from "vitest";
import { hasAmbiguousTime, sessionSchema } from "~/schemas/sessions";
import { addDaysToDate, addMonthsToDate, stockholmToUtcIso, stockholmWallClock, utcIsoToStockholm } from "./time";

describe("Stockholm time", () => {
  it("converts winter and summer wall-clock times with the right offset", () => {
    expect(stockholmToUtcIso("2027-01-15", "09:00")).toBe("2027-01-15T08:00:00.000Z");
    expect(stockholmToUtcIso("2027-06-15", "09:00")).toBe("2027-06-15T07:00:00.000Z");
  });

  it("lands on both sides of the spring daylight-saving change", () => {
    expect(stockholmToUtcIso("2027-03-27", "09:00")).toBe("2027-03-27T08:00:00.000Z");
    expect(stockholmToUtcIso("2027-03-29", "09:00")).toBe("2027-03-29T07:00:00.000Z");
  });

  it("round-trips to the same wall-clock time", () => {
    expect(utcIsoToStockholm(stockholmToUtcIso("2027-10-31", "13:15"))).toEqual({ date: "2027-10-31", time: "13:15" });
  });

  it("adds days across month ends", () => {
    expect(addDaysToDate("2027-01-30", 3)).toBe("2027-02-02");
  });
});

describe("session times across daylight-saving changes (issue 14, item 6)", () => {
  const form = (startDate: string, startTime: string, endTime: string) => ({
    title: "Utbildningsdag",
    kind: "utbildningsdag",
    startDate,
    startTime,
    endTime,
    hostMunicipalityId: "1",
    venue: "Stadshuset",
  });

  it("refuses a session time that does not exist in Europe/Stockholm (the spring-forward hour) with a clear message", () => {
    const result = sessionSchema.safeParse(form("2026-03-29", "02:30", "05:00"));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["startTime"],
        message: "Klockan 02:30 finns inte den 29 mars 2026: natten till sommartid ställs klockan fram från 02:00 till 03:00. Välj en annan tid.",
      }),
    ]);
    expect(sessionSchema.safeParse(form("2026-03-29", "01:00", "02:15")).error?.issues[0].path).toEqual(["endTime"]);
    expect(sessionSchema.safeParse(form("2026-03-29", "03:00", "05:00")).success).toBe(true);
    expect(stockholmWallClock("2026-03-29", "02:30")).toEqual({ kind: "nonexistent" });
  });

  it("takes the first of an ambiguous autumn time (still summer time) and says so", () => {
    expect(stockholmToUtcIso("2026-10-25", "02:30")).toBe("2026-10-25T00:30:00.000Z");
    expect(stockholmWallClock("2026-10-25", "02:30")).toEqual({ kind: "ambiguous", iso: "2026-10-25T00:30:00.000Z" });
    expect(stockholmWallClock("2026-10-25", "03:00")).toEqual({ kind: "unique", iso: "2026-10-25T02:00:00.000Z" });
    const parsed = sessionSchema.parse(form("2026-10-25", "02:30", "04:00"));
    expect(hasAmbiguousTime(parsed)).toBe(true);
    expect(hasAmbiguousTime(sessionSchema.parse(form("2026-10-24", "02:30", "04:00")))).toBe(false);
  });
});

describe("addMonthsToDate", () => {
  it("keeps the day, or the last day of a shorter month at month ends", () => {
    expect(addMonthsToDate("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonthsToDate("2027-08-31", 6)).toBe("2028-02-29");
    expect(addMonthsToDate("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonthsToDate("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonthsToDate("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonthsToDate("2026-11-26", 120)).toBe("2036-11-26");
    expect(addMonthsToDate("2026-12-15", 1)).toBe("2027-01-15");
  });
});
