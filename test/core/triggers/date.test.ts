import { describe, expect, it } from "vitest";
import { DateTrigger, fromSpec } from "../../../electron/core/triggers/index.js";

const AT = "2026-07-04T18:30:00Z";

describe("date trigger", () => {
  it("fires at its date when asked from before it", () => {
    expect(fromSpec({ type: "date", version: 1, at: AT }).next(new Date("2026-07-04T18:29:59.999Z"))?.toISOString()).toBe(
      "2026-07-04T18:30:00.000Z",
    );
  });

  it("is finished once its date is reached or passed", () => {
    const trigger = new DateTrigger({ type: "date", version: 1, at: AT });
    expect(trigger.next(new Date(AT))).toBeNull();
    expect(trigger.next(new Date("2027-01-01T00:00:00Z"))).toBeNull();
  });

  it("honours the offset written in `at`", () => {
    expect(fromSpec({ type: "date", version: 1, at: "2026-07-04T14:30:00-04:00" }).next(new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-07-04T18:30:00.000Z",
    );
  });
});
