/**
 * Requests and pipes at the edge of the API and the CLI (issue 10, item 14): each one
 * answered as bad input or handled quietly, never a 500 or a stack trace.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { BIN, ensureBuilt, hasStackTrace, removeTempHomes, ROOT, startDaemon, stopAllDaemons, sundial, tempHome } from "../support/cli.js";

let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("edges");
  await startDaemon(home);
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

function get(urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: homePaths(home).socket, path: urlPath, agent: false }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("the API", () => {
  test("answers the documented GET /api/status with the engine's status", async () => {
    const response = await get("/api/status");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ result: { home, jobs: expect.any(Number) } });
  });

  test("answers 400, not 500, to a path with a broken percent escape", async () => {
    for (const urlPath of ["/api/jobs/%E0%A4%A", "/api/jobs/%", "/api/runs/%zz/log"]) {
      const response = await get(urlPath);
      expect(response.status, urlPath).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { name: "ApiRequestError" } });
    }
  });
});

describe("sundial import", () => {
  test("refuses a null entry with exit 2 naming jobs[0], and stores nothing", async () => {
    const file = path.join(home, "nulls.json");
    fs.writeFileSync(file, JSON.stringify([null, 7, "x"]));
    const result = await sundial(["import", file], { home });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/job 1: /);
    expect(result.stderr).toMatch(/job 2: /);
    expect(result.stderr).toContain("Nothing was imported.");
    expect(hasStackTrace(result.stderr)).toBe(false);
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify({ args: [[null]] });
      const request = http.request(
        { socketPath: homePaths(home).socket, path: "/api/importJobs", method: "POST", headers: { "Content-Type": "application/json" }, agent: false },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body).error.issues[0].field).toMatch(/^jobs\[0\]/);
    expect(JSON.parse((await sundial(["list", "--json"], { home })).stdout)).toEqual([]);
  });
});

describe("a reader that goes away", () => {
  test("sundial list into a closed pipe exits quietly with 141 (as a process killed by SIGPIPE)", async () => {
    const many = path.join(home, "many.json");
    fs.writeFileSync(many, JSON.stringify(Array.from({ length: 400 }, (_, index) => ({ name: `pipe job ${index}`, trigger: { type: "interval", everySeconds: 86_400 }, command: "true" }))));
    expect((await sundial(["import", many], { home })).code).toBe(0);
    for (const args of [["list"], ["list", "--json"], ["history"]]) {
      const child = spawn(process.execPath, [BIN, ...args, "--home", home], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      // `| head -0`: the reader is gone before the first line is written.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
      expect(stderr, args.join(" ")).toBe("");
      expect(code, args.join(" ")).toBe(141);
    }
  }, 60_000);
});
