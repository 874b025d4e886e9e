import { describe, expect, it } from "vitest";
import { parseRoute, routeHash, type Route } from "../../renderer/src/lib/state/router.svelte.js";

describe("hash routes", () => {
  it.each<[string, Route]>([
    ["#/", { name: "jobs" }],
    ["#/history", { name: "history" }],
    ["#/history/", { name: "history" }],
    ["#/agenda", { name: "agenda" }],
    ["#/jobs/j_1", { name: "job", jobId: "j_1" }],
    ["#/nowhere", { name: "jobs" }],
  ])("%s is %j", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("writes every route as a hash that reads back the same", () => {
    for (const route of [{ name: "jobs" }, { name: "history" }, { name: "agenda" }, { name: "job", jobId: "j 1/2" }] satisfies Route[]) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });
});
