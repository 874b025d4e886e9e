/** A real engine on a temp home (real store, history, executor), with a silent notifier. */
import fs from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
import { openEngine, type Engine } from "../../../electron/core/engine.js";
import { SilentNotifier } from "../../../electron/core/notifier/silent-notifier.js";
import { ValidationError, type FieldIssue } from "../../../electron/shared/errors.js";
import { tempFolder } from "../../support/temp-folders.mjs";

const engines: Engine[] = [];
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

/** Opens an engine on a fresh temp home; it is stopped and the home removed after the test. */
export async function openTestEngine(): Promise<Engine> {
  const parent = tempFolder("service");
  homes.push(parent);
  const engine = await openEngine({ home: path.join(parent, "home"), notifier: new SilentNotifier(), baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500 });
  engines.push(engine);
  return engine;
}

/** The issues of the ValidationError `promise` rejects with (fails if it resolves or throws something else). */
export async function issuesOf(promise: Promise<unknown>): Promise<FieldIssue[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a ValidationError");
}
