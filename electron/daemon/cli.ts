/**
 * The `sundial` command line (DESIGN.md, "The `sundial` CLI" is the contract). Commands are
 * declared here with commander; each action lives in ./cli/. Nothing runs at import time:
 * `bin/sundial.js` calls `main()`.
 */
import { Command, CommanderError, Option } from "commander";
import { AmbiguousJobError, JobBusyError, JobNotFoundError, RunNotActiveError, RunNotFoundError, ValidationError } from "../shared/errors.js";
import { ConnectionLostError, EngineNotRunningError } from "./client.js";
import { createContext, type CliContext, type GlobalOptions, type Output } from "./cli/context.js";
import { CliInputError } from "./cli/errors.js";
import { packageVersion } from "./version.js";
// Cheap to load (Node built-ins only); the engine behind daemon.js stays lazy.
import { DEFAULT_UI_PORT } from "./web-host.js";

// Each command loads its module when it runs: a CLI call should not pay for loading the
// whole engine (the daemon) or the trigger math it does not use.
const jobCommands = () => import("./cli/job-commands.js");
const viewCommands = () => import("./cli/view-commands.js");
const runCommands = () => import("./cli/run-commands.js");
const transfer = () => import("./cli/transfer.js");

/** 0 done; 1 failed (a run failed, an unknown job, no engine running); 2 bad input, nothing changed. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export interface CliIo {
  stdout: Output;
  stderr: Output;
  env?: NodeJS.ProcessEnv;
}

const HOME_HELP = "home folder (default: $SUNDIAL_HOME, else the desktop app's data folder)";

/** Parses `argv` (as in `process.argv`) and runs the command; resolves with the exit code. */
export async function main(argv: string[] = process.argv, io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    return reportError(error, io.stderr, io.env ?? process.env);
  }
}

function reportError(error: unknown, stderr: Output, env: NodeJS.ProcessEnv): number {
  if (error instanceof CliInputError) {
    for (const problem of error.problems) stderr.write(`${problem}\n`);
    return EXIT.badInput;
  }
  if (error instanceof ValidationError) {
    for (const issue of error.issues) stderr.write(`${issue.field}: ${issue.message}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  // Our own errors are sentences meant for the user; anything else gets an "error:" label.
  const known = [JobNotFoundError, RunNotFoundError, AmbiguousJobError, JobBusyError, RunNotActiveError, EngineNotRunningError, ConnectionLostError].some(
    (type) => error instanceof type,
  );
  stderr.write(`${known ? "" : "error: "}${message}\n`);
  // A stack trace helps a developer, never a user: only on request.
  if (env.SUNDIAL_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command("sundial")
    .description("Sundial: run your scripts and commands on a schedule (cron, intervals, dates).")
    .version(packageVersion(), "-V, --version")
    .option("--home <dir>", HOME_HELP)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text),
    })
    .addHelpText(
      "after",
      `
Most commands talk to the running engine (the desktop app or \`sundial daemon\`) over the
control socket in the home folder. JOB is a job id or a unique job name; RUN is a run id.
DURATION: 90s, 5m, 1h30m, 2d or plain seconds. DATETIME: ISO 8601; without an offset it is
wall time in --tz (default: the system time zone).

Exit codes: 0 done, 1 failed (run failed, unknown job, engine not running), 2 bad input.

Examples:
  $ sundial daemon &
  $ sundial add backup --cron "0 3 * * *" -- rsync -a ~/Documents /mnt/backup
  $ sundial list
  $ sundial run backup --wait
  $ sundial history backup --limit 5`,
    );

  // Every subcommand inherits the exit override and output settings, and takes --home.
  const command = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .addOption(new Option("--home <dir>", HOME_HELP))
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      });
  // `--home` works before the command name too (`sundial --home DIR list`).
  const context = (options: GlobalOptions): CliContext => createContext({ home: options.home ?? program.opts<GlobalOptions>().home }, io);

  command("daemon", "run the scheduler in the foreground (SIGTERM or Ctrl-C stops it cleanly)")
    .option("--ui", "also serve the web UI on 127.0.0.1 and print its link (with a private access token)")
    .option("--port <n>", `web UI port (default ${DEFAULT_UI_PORT}; 0 picks a free one); needs --ui`)
    .addHelpText(
      "after",
      `
The web UI listens on 127.0.0.1 only. Its link carries an access token (kept in the home's
\`token\` file, reused across restarts; delete the file to revoke old links).
${examples("sundial daemon", "sundial daemon --ui", "sundial daemon --ui --port 0", "sundial daemon --home ~/sundial-test", "SUNDIAL_HOME=/srv/sundial sundial daemon --ui --port 8080")}`,
    )
    .action(async (options: GlobalOptions & { ui?: boolean; port?: string }) => {
      const { home } = context(options);
      const ui = daemonUiOptions(options);
      const { runDaemon } = await import("./daemon.js");
      setExitCode(await runDaemon({ home, ui }));
      // The engine has been stopped; nothing should keep the process up, but never hang on exit.
      setTimeout(() => process.exit(process.exitCode ?? 0), 3_000).unref();
    });

  addJobOptions(
    command("add", "add a job: a name, one schedule, then the command after --")
      .argument("<NAME>", "a name for the job (unique)")
      .argument("[COMMAND...]", "after --: one argument is a shell command line; several are joined with shell quoting"),
  )
    .option("--paused", "add the job paused")
    .option("--json", "print the new job as JSON")
    .addHelpText(
      "after",
      examples(
        `sundial add backup --cron "0 3 * * *" -- rsync -a ~/Documents /mnt/backup`,
        `sundial add sync --every 15m --timeout 5m -- 'cd ~/notes && git pull'`,
        `sundial add reminder --at 2026-12-24T18:00 --tz Europe/Paris --notify always -- notify-send "Dinner"`,
        `sundial add report --cron "30 8 * * 1-5" --env LANG=C --retries 2 --retry-delay 1m -- ~/bin/report.sh`,
      ),
    )
    .action(async (name: string, commandWords: string[], options) => (await jobCommands()).addCommand(context(options), name, commandWords, options));

  addJobOptions(
    command("edit", "change a job; only the given options change")
      .argument("<JOB>", "job id or name")
      .argument("[COMMAND...]", "after --: a new command"),
  )
    .option("--name <name>", "rename the job")
    .option("--paused", "pause the job")
    .option("--json", "print the changed job as JSON")
    .addHelpText(
      "after",
      examples(
        `sundial edit backup --cron "0 4 * * *"`,
        `sundial edit backup --tz America/New_York`,
        `sundial edit sync --every 30m --timeout 10m`,
        `sundial edit backup -- rsync -a --delete ~/Documents /mnt/backup`,
      ),
    )
    .action(async (ref: string, commandWords: string[], options) => (await jobCommands()).editCommand(context(options), ref, commandWords, options));

  command("list", "every job: NEXT, LEFT, LAST, STATUS, NAME, SCHEDULE")
    .option("--json", "print the jobs as JSON")
    .addHelpText("after", examples("sundial list", "sundial list --json"))
    .action(async (options) => (await viewCommands()).listCommand(context(options), options));

  command("show", "one job in detail")
    .argument("<JOB>", "job id or name")
    .option("--json", "print the job as JSON")
    .addHelpText("after", examples("sundial show backup", "sundial show j_3f9a1c2e --json"))
    .action(async (ref: string, options) => (await viewCommands()).showCommand(context(options), ref, options));

  command("run", "run a job now (same environment, folder and logging as a scheduled run)")
    .argument("<JOB>", "job id or name")
    .option("--wait", "stream the run's output; exit 0 only if it succeeded, else 1")
    .addHelpText("after", examples("sundial run backup", "sundial run backup --wait && echo done"))
    .action(async (ref: string, options) => setExitCode(await (await runCommands()).runCommand(context(options), ref, options)));

  for (const [verb, pause] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    command(verb, pause ? "pause a job's schedule, or every job with --all" : "resume a paused job, or every job with --all")
      .argument("[JOB]", "job id or name")
      .option("--all", `${verb} every job`)
      .addHelpText("after", examples(`sundial ${verb} backup`, `sundial ${verb} --all`))
      .action(async (ref: string | undefined, options) => (await jobCommands()).pauseCommand(context(options), ref, options, pause));
  }

  command("remove", "remove a job with its run history and logs (a running run is cancelled)")
    .argument("<JOB>", "job id or name")
    .addHelpText("after", examples("sundial remove backup"))
    .action(async (ref: string, options) => (await jobCommands()).removeCommand(context(options), ref));

  command("history", "past runs, newest first")
    .argument("[JOB]", "only this job's runs")
    .option("--limit <n>", "at most this many runs (default 50)")
    .option("--json", "print the runs as JSON")
    .addHelpText("after", examples("sundial history", "sundial history backup --limit 5", "sundial history --json"))
    .action(async (ref: string | undefined, options) => (await runCommands()).historyCommand(context(options), ref, options));

  command("logs", "a run's output")
    .argument("<RUN>", "run id (see sundial history)")
    .option("-f, --follow", "keep printing until the run ends")
    .addHelpText("after", examples("sundial logs r_lq2x9k4f_7c1e", "sundial logs r_lq2x9k4f_7c1e --follow"))
    .action(async (runId: string, options) => (await runCommands()).logsCommand(context(options), runId, options));

  command("next", "preview a schedule's fire times (offline, no engine needed)")
    .option("--cron <expr>", "cron expression")
    .option("--every <duration>", "fixed interval")
    .option("--at <datetime>", "one date and time")
    .option("--tz <zone>", "IANA time zone (default: the system zone)")
    .option("--from <datetime>", "start after this date-time (default: now)")
    .option("-n <count>", "how many times (default 5, at most 1000)")
    .option("--json", "print an array of ISO 8601 strings with offset")
    .addHelpText(
      "after",
      examples(`sundial next --cron "0 9 * * 1-5"`, `sundial next --cron "30 2 * * *" --tz Europe/Berlin --from 2026-03-28 -n 3`, "sundial next --every 90m --json"),
    )
    .action(async (options) => (await import("./cli/next-command.js")).nextCommand(context(options), options));

  command("status", "the running instance: pid, home, jobs, running runs")
    .option("--json", "print the status as JSON")
    .addHelpText("after", examples("sundial status", "sundial status --json"))
    .action(async (options) => (await runCommands()).statusCommand(context(options), options));

  command("export", "write every job's definition as JSON (to FILE, or stdout)")
    .argument("[FILE]", "file to write (default: stdout)")
    .addHelpText("after", examples("sundial export jobs.json", "sundial export > jobs.json"))
    .action(async (file: string | undefined, options) => (await transfer()).exportCommand(context(options), file));

  command("import", "add the jobs from an export file (all or nothing: every job is checked first)")
    .argument("<FILE>", "a file written by sundial export")
    .option("--json", "print the added jobs as JSON")
    .addHelpText("after", examples("sundial import jobs.json", "sundial import jobs.json --home ~/other-home"))
    .action(async (file: string, options) => (await transfer()).importCommand(context(options), file, options));

  return program;
}

/** Options shared by add and edit. */
function addJobOptions(command: Command): Command {
  return command
    .option("--cron <expr>", "cron schedule: 5 fields (6 with seconds first) or @hourly, @daily…")
    .option("--every <duration>", "fixed interval: 90s, 5m, 1h30m, 2d")
    .option("--at <datetime>", "once, at this ISO 8601 date-time (without offset: wall time in --tz)")
    .option("--tz <zone>", "IANA time zone for --cron and --at (default: the system zone)")
    .option("--timeout <duration>", "stop the run (whole process tree) after this long")
    .option("--cwd <dir>", "working folder (default: your home folder)")
    .option("--env <KEY=VALUE>", "set an environment variable (repeatable)", (pair: string, previous: string[] = []) => [...previous, pair])
    .option("--overlap <policy>", "when a run is due while the last is running: skip|queue|parallel|replace (default skip)")
    .option("--catch-up <policy>", "runs missed while Sundial was not running: skip|once|all (default once)")
    .option("--retries <n>", "retry a failed run this many times (default 0)")
    .option("--retry-delay <duration>", "wait between retries (default 1m)")
    .option("--notify <when>", "desktop notification: failure|always|never (default failure)");
}

/** `--ui` / `--port` as runDaemon's `ui` option; a bad port is bad input (exit 2), nothing started. */
function daemonUiOptions(options: { ui?: boolean; port?: string }): { port: number } | undefined {
  if (options.port !== undefined && !options.ui) throw new CliInputError(["--port: only with --ui (sundial daemon --ui --port N)"]);
  if (!options.ui) return undefined;
  if (options.port === undefined) return { port: DEFAULT_UI_PORT };
  const port = /^\d{1,5}$/.test(options.port) ? Number(options.port) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new CliInputError([`--port: "${options.port}" is not a port number (0 to 65535; 0 picks a free one)`]);
  return { port };
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;
}
