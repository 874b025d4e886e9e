// croner in plain Node as a benchmark peer.
//
//   node croner-peer.mjs fire COUNT COMMAND   COUNT jobs due every second, each spawning
//                                             /bin/bash -c COMMAND with DUE_AT = its slot
//   node croner-peer.mjs idle COUNT HOUR      COUNT jobs due once a day at HOUR (UTC)
//
// Prints "ready" once the jobs are scheduled; SIGTERM stops it.
import { spawn } from "node:child_process";
import { Cron } from "croner";

const [mode, countText, argument] = process.argv.slice(2);
const count = Number(countText);
const jobs = [];
for (let index = 0; index < count; index++) {
  if (mode === "fire") {
    jobs.push(
      new Cron("* * * * * *", { timezone: "UTC" }, () => {
        // croner does not hand the callback its slot; it fires within milliseconds of it.
        const dueAt = new Date(Math.round(Date.now() / 1000) * 1000).toISOString();
        spawn("/bin/bash", ["-c", argument], { env: { ...process.env, DUE_AT: dueAt }, stdio: "ignore" });
      }),
    );
  } else if (mode === "idle") {
    jobs.push(new Cron(`${index % 60} ${argument} * * *`, { timezone: "UTC" }, () => {}));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}
process.on("SIGTERM", () => {
  for (const job of jobs) job.stop();
  process.exit(0);
});
console.log("ready");
