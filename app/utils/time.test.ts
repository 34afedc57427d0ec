import { describe, expect, it } from "vitest";
import { addDaysToDate, stockholmToUtcIso, utcIsoToStockholm } from "./time";

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
