/**
 * The `sundial` command line (DESIGN.md, "The `sundial` CLI" is the contract). Commands are
 * declared here with commander; each action lives in ./cli/. Nothing runs at import time:
 * `bin/sundial.js` calls `main()`.
 */
import { Command, CommanderError, Option } from "commander";
import { CliInputError, errorKindOf, ValidationError } from "../shared/errors.js";
import { EXIT } from "../shared/exit-codes.js";
import { createContext, println, type CliContext, type GlobalOptions, type Output } from "./cli/context.js";
import { escapeForTerminal } from "./cli/format.js";
import { packageVersion } from "../core/version.js";
import { acceptedValues, SETTING_KEYS, SETTINGS } from "../shared/settings.js";
import { AFTER_OUTCOMES, DEFAULT_AFTER_OUTCOME } from "../shared/trigger-types.js";
import { CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY, DEFAULT_NOTIFY_POLICY, DEFAULT_OVERLAP_POLICY, NOTIFY_POLICIES, OVERLAP_POLICIES } from "../shared/policies.js";
import { DEFAULT_UI_PORT } from "./ui-address.js";
import { CLEARABLE_FIELDS } from "./cli/clear-fields.js";
import { CHANNEL_EVENTS, DEFAULT_CHANNEL_EVENTS, DEFAULT_CHANNEL_TIMEOUT_SECONDS, DEFAULT_WEBHOOK_PRESET, WEBHOOK_PRESETS } from "../shared/channels.js";

// Each command loads its module when it runs: a CLI call should not pay for loading the
// whole engine (the daemon) or the trigger math it does not use.
const jobCommands = () => import("./cli/job-commands.js");
const viewCommands = () => import("./cli/view-commands.js");
const runCommands = () => import("./cli/run-commands.js");
const transfer = () => import("./cli/transfer.js");
const interopCommands = () => import("./cli/interop-commands.js");
const settingsCommands = () => import("./cli/settings-commands.js");
const channelCommands = () => import("./cli/channel-commands.js");

export interface CliIo {
  stdout: Output;
  stderr: Output;
  env?: NodeJS.ProcessEnv;
}

const HOME_HELP = "home folder (default: $SUNDIAL_HOME, else the desktop app's data folder)";

/** Parses `argv` (as in `process.argv`) and runs the command; resolves with the exit code. */
export async function main(argv: string[] = process.argv, io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const disarm = io.stdout === process.stdout ? exitOnClosedPipe() : () => undefined;
  const program = buildProgram(argv, io, (code) => (exitCode = code), disarm);
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

/**
 * Node ignores SIGPIPE, so a closed pipe surfaces as an EPIPE 'error' on stdout or stderr,
 * which would crash with a stack trace. The reader is gone: stop at once, quietly, with 141
 * (what `ls | head -1` reports under `pipefail`). Another write error (`> /dev/full`) is
 * said in one line, exit 1. Returns a function that removes the handlers (the daemon logs
 * best-effort instead and must never exit over its output).
 */
function exitOnClosedPipe(): () => void {
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.brokenPipe);
    try {
      process.stderr.write(`error: cannot write the output (${error.code ?? error.message})\n`);
    } finally {
      process.exit(EXIT.failed);
    }
  };
  const onStderrError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.brokenPipe);
  };
  process.stdout.on("error", onStdoutError);
  process.stderr.on("error", onStderrError);
  return () => {
    process.stdout.off("error", onStdoutError);
    process.stderr.off("error", onStderrError);
  };
}

/**
 * Exit code and wording come from the table of error classes (ERROR_KINDS): a listed error is
 * one of our sentences meant for the user, printed as it is; anything else gets an "error:"
 * label. Messages echo what was typed or stored (names, paths): each is one escaped line (println).
 */
export function reportError(error: unknown, stderr: Output, env: NodeJS.ProcessEnv): number {
  const kind = errorKindOf(error);
  for (const line of errorLines(error, kind !== null)) println(stderr, line);
  if (kind?.exit === "badInput") return EXIT.badInput;
  // A stack trace helps a developer, never a user: only on request.
  if (env.SUNDIAL_DEBUG && error instanceof Error && error.stack) println(stderr, error.stack, "lines");
  return EXIT.failed;
}

/** One line per problem: a field's issue, a bad option, or the error's sentence. */
function errorLines(error: unknown, known: boolean): string[] {
  if (error instanceof CliInputError) return error.problems;
  if (error instanceof ValidationError) return error.issues.map((issue) => `${issue.field}: ${issue.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return [known ? message : `error: ${message}`];
}

function buildProgram(argv: readonly string[], io: CliIo, setExitCode: (code: number) => void, disarmPipeExit: () => void): Command {
  const program = new Command("sundial")
    .description("Sundial: run your scripts and commands on a schedule (cron, intervals, dates).")
    .version(packageVersion(), "-V, --version")
    .option("--home <dir>", HOME_HELP)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(escapeForTerminal(text, "lines")),
      writeErr: (text) => io.stderr.write(escapeForTerminal(text, "lines")),
      outputError: (text, write) => write(text),
    })
    .addHelpText(
      "after",
      `
Most commands talk to the running engine (the desktop app or \`sundial daemon\`) over the
control socket in the home folder. JOB is a job id or a unique job name; RUN is a run id.
DURATION: 90s, 5m, 1h30m, 2d or plain seconds. DATETIME: ISO 8601; without an offset it is
wall time in --tz (default: the system time zone).

Exit codes: 0 done, 1 failed (run failed, unknown job or run, engine not running), 2 bad input
(including a home folder another user could change), 130 run --wait stopped waiting on Ctrl-C
(the run goes on).

Examples:
  $ sundial daemon &
  $ sundial add backup --cron "0 3 * * *" -- rsync -a ~/Documents /mnt/backup
  $ sundial list
  $ sundial run backup --wait
  $ sundial history backup --limit 5`,
    );

  // Every subcommand inherits the exit override and output settings, and takes --home.
  const subcommand = (parent: Command, name: string, description: string) =>
    parent
      .command(name)
      .description(description)
      .addOption(new Option("--home <dir>", HOME_HELP))
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout.write(escapeForTerminal(text, "lines")),
        writeErr: (text) => io.stderr.write(escapeForTerminal(text, "lines")),
      });
  const command = (name: string, description: string) => subcommand(program, name, description);
  // `--home` works before the command name too (`sundial --home DIR list`).
  const context = (options: GlobalOptions): CliContext => createContext({ home: options.home ?? program.opts<GlobalOptions>().home }, io);

  const pauseOrResume = (verb: "pause" | "resume") => {
    const pause = verb === "pause";
    const declared = command(verb, pause ? "pause a job's schedule, or every job with --all" : "resume a paused job, or every job with --all")
      .argument("[JOB]", "job id or name")
      .option("--all", `${verb} every job`);
    if (pause) declared.option("--until <when>", "with --all: resume by itself then (a DATETIME, or a DURATION from now)");
    declared
      .addHelpText("after", examples(`sundial ${verb} backup`, `sundial ${verb} --all`, ...(pause ? ["sundial pause --all --until 2h", "sundial pause --all --until 2026-12-27T09:00"] : [])))
      .action(async (ref: string | undefined, options) => (await jobCommands()).pauseCommand(context(options), ref, options, pause));
  };

  // One declaration per top-level command, in the order --help lists them. When argv names
  // one, only that one is declared: a `sundial list` does not build the other commands and
  // their ~150 options (~2 ms of its start-up, docs/PERFORMANCE.md §8.2). Help, an option
  // before the command, or a name that is not a command declares them all (so that commander
  // can list them, or suggest the nearest).
  const declarations: Record<string, () => void> = {
    daemon: () => {
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
          disarmPipeExit();
          const { runDaemon } = await import("./daemon.js");
          setExitCode(await runDaemon({ home, ui }));
          // The engine has been stopped; nothing should keep the process up, but never hang on exit.
          setTimeout(() => process.exit(process.exitCode ?? 0), 3_000).unref();
        });
    },
    add: () => {
      addJobOptions(
        command("add", "add a job: a name, its triggers (any number; --manual for none), then the command after --")
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
            `sundial add poll --every 1h --start 2026-12-01T08:00 --end 2026-12-24T18:00 --jitter 5m -- ~/bin/poll.sh`,
            `sundial add reminder --at 2026-12-24T18:00 --tz Europe/Paris --notify always -- notify-send "Dinner"`,
            `sundial add report --cron "30 8 * * 1-5" --env LANG=C --retries 2 --retry-delay 1m -- ~/bin/report.sh`,
            `sundial add tidy --cron "0 * * * *" --between 09:00-17:00 --days mon-fri --skip-dates 2026-12-24..2027-01-01 -- ~/bin/tidy.sh`,
            `sundial add upload --every 6h --ac-power --online --if-unmet wait:2h -- ~/bin/upload.sh`,
            `sundial add mail --cron "0 9 * * 1-5" --on startup -- ~/bin/fetch-mail.sh`,
            `sundial add vpn --on wake -- ~/bin/reconnect-vpn.sh`,
            `sundial add upload --after backup -- ~/bin/upload.sh`,
            `sundial add cleanup --after backup:failure -- ~/bin/cleanup.sh`,
            `sundial add thumbnails --watch ~/Pictures -- ~/bin/thumbs.sh`,
            `sundial add deploy --manual -- ~/bin/deploy.sh`,
          ),
        )
        .action(async (name: string, commandWords: string[], options) => (await jobCommands()).addCommand(context(options), name, commandWords, options));
    },
    edit: () => {
      addJobOptions(
        command("edit", "change a job; only the given options change")
          .argument("<JOB>", "job id or name")
          .argument("[COMMAND...]", "after --: a new command"),
      )
        .option("--name <name>", "rename the job")
        .option("--paused", "pause the job")
        .option("--clear <field>", "empty an optional field (repeatable; FIELD below)", (field: string, previous: string[] = []) => [...previous, field])
        .option("--json", "print the changed job as JSON")
        .addHelpText(
          "after",
          `
Trigger options (--cron, --every, --at, --on, --watch, --after, --manual) replace the job's
whole trigger list; --tz alone re-zones its cron triggers, --start/--end/--jitter change its interval.

FIELD for --clear (cleared first, then the other options apply):
${Object.entries(CLEARABLE_FIELDS)
  .map(([field, means]) => `  ${field.padEnd(16)}${means}`)
  .join("\n")}
${examples(
  `sundial edit backup --cron "0 4 * * *"`,
  `sundial edit backup --cron "0 4 * * *" --on wake`,
  `sundial edit upload --manual`,
  `sundial edit backup --tz America/New_York`,
  `sundial edit sync --every 30m --timeout 10m`,
  `sundial edit sync --jitter 2m --end 2026-12-31T18:00`,
  `sundial edit sync --clear timeout --clear end`,
  `sundial edit report --clear env --env LANG=C`,
  `sundial edit upload --between 22:00-06:00 --if-unmet wait`,
  `sundial edit upload --clear conditions`,
  `sundial edit backup -- rsync -a --delete ~/Documents /mnt/backup`,
)}`,
        )
        .action(async (ref: string, commandWords: string[], options) => (await jobCommands()).editCommand(context(options), ref, commandWords, options));
    },
    list: () => {
      command("list", "every job: NEXT, LEFT, LAST, STATUS, NAME, SCHEDULE, TAGS")
        .option("--tag <name>", "only the jobs with this tag (case does not matter)")
        .option("--json", "print the jobs as JSON")
        .addHelpText("after", examples("sundial list", "sundial list --tag backup", "sundial list --json"))
        .action(async (options) => (await viewCommands()).listCommand(context(options), options));
    },
    show: () => {
      command("show", "one job in detail, with its stats over the kept runs")
        .argument("<JOB>", "job id or name")
        .option("--json", "print the job as JSON")
        .addHelpText("after", examples("sundial show backup", "sundial show j_3f9a1c2e07b4d5a6 --json"))
        .action(async (ref: string, options) => (await viewCommands()).showCommand(context(options), ref, options));
    },
    agenda: () => {
      command("agenda", "every job's runs to come, day by day (time triggers; paused jobs have none)")
        .option("--days <n>", "how many days, today's first (1 to 31; default 7)")
        .option("--from <datetime>", "start after this date-time (default: now)")
        .option("--tz <zone>", "count days and write times in this IANA zone (default: the system zone)")
        .option("--json", "print the agenda as JSON: days, each with its runs")
        .addHelpText(
          "after",
          `
A job that runs more often than 24 times a day lists its first 24 runs of each day, and a line
says it runs more often.
${examples("sundial agenda", "sundial agenda --days 1", "sundial agenda --days 14 --tz Europe/Paris", "sundial agenda --json")}`,
        )
        .action(async (options) => (await viewCommands()).agendaCommand(context(options), options));
    },
    run: () => {
      command("run", "run a job now (same environment, folder and logging as a scheduled run)")
        .argument("<JOB>", "job id or name")
        .option("--wait", "stream the run's output; exit 0 only if it succeeded, else 1")
        .addHelpText(
          "after",
          `
Ctrl-C during --wait stops waiting, not the run: it goes on in Sundial, and sundial says how
to follow it (sundial logs RUN --follow) or cancel it (sundial cancel RUN); exit code 130.
${examples("sundial run backup", "sundial run backup --wait && echo done")}`,
        )
        .action(async (ref: string, options) => setExitCode(await (await runCommands()).runCommand(context(options), ref, options)));
    },
    pause: () => pauseOrResume("pause"),
    resume: () => pauseOrResume("resume"),
    remove: () => {
      command("remove", "remove a job (a running run is cancelled); its runs and logs stay in the history, marked deleted, unless --purge")
        .argument("<JOB>", "job id or name")
        .option("--purge", "also erase the job's runs and logs (cannot be undone)")
        .addHelpText("after", examples("sundial remove backup", "sundial remove scratch --purge"))
        .action(async (ref: string, options) => (await jobCommands()).removeCommand(context(options), ref, options));
    },
    cancel: () => {
      command("cancel", "cancel a running run (its whole process tree is stopped; it is not retried)")
        .argument("<RUN>", "run id (see sundial status or sundial history)")
        .addHelpText("after", examples("sundial cancel r_lq2x9k4f_000a9f3c27e1"))
        .action(async (runId: string, options) => (await runCommands()).cancelCommand(context(options), runId));
    },
    history: () => {
      command("history", "past runs, newest first")
        .argument("[JOB]", "only this job's runs")
        .option("--limit <n>", "at most this many runs (default 50)")
        .option("--json", "print the runs as JSON")
        .addHelpText("after", examples("sundial history", "sundial history backup --limit 5", "sundial history --json"))
        .action(async (ref: string | undefined, options) => (await runCommands()).historyCommand(context(options), ref, options));
    },
    logs: () => {
      command("logs", "a run's output")
        .argument("<RUN>", "run id (see sundial history)")
        .option("-f, --follow", "keep printing until the run ends")
        .addHelpText("after", examples("sundial logs r_lq2x9k4f_000a9f3c27e1", "sundial logs r_lq2x9k4f_000a9f3c27e1 --follow"))
        .action(async (runId: string, options) => (await runCommands()).logsCommand(context(options), runId, options));
    },
    next: () => {
      command("next", "preview a schedule's fire times (offline, no engine needed), or a job's (--job)")
        .option("--job <job>", "a job's time triggers, merged, earliest first (asks the running engine for the job)")
        .option("--cron <expr>", "cron expression")
        .option("--every <duration>", "fixed interval")
        .option("--at <datetime>", "one date and time")
        .option("--tz <zone>", "IANA time zone (default: the system zone)")
        .option("--from <datetime>", "start after this date-time (default: now)")
        .option("-n <count>", "how many times (default 5, at most 1000)")
        .option("--between <HH:MM-HH:MM>", "with a job's conditions applied: only within this time of day")
        .option("--days <list>", "with a job's conditions applied: only on these days (mon-fri)")
        .option("--skip-dates <list>", "with a job's conditions applied: never on these dates")
        .option("--if-unmet <policy>", "with conditions: skip (default) leaves a time out, wait[:DURATION] moves it to when they hold")
        .option("--json", "print an array of ISO 8601 strings with offset")
        .addHelpText(
          "after",
          examples(
            `sundial next --cron "0 9 * * 1-5"`,
            `sundial next --cron "30 2 * * *" --tz Europe/Berlin --from 2026-03-28 -n 3`,
            "sundial next --every 90m --json",
            "sundial next --job backup -n 10",
            `sundial next --cron "0 * * * *" --between 09:00-17:00 --days mon-fri --skip-dates 2026-12-24`,
            `sundial next --cron "0 18 * * *" --between 09:00-17:00 --if-unmet wait`,
          ),
        )
        .action(async (options) => (await import("./cli/next-command.js")).nextCommand(context(options), options));
    },
    status: () => {
      command("status", "the running instance: pid, home, jobs, running runs")
        .option("--json", "print the status as JSON")
        .addHelpText("after", examples("sundial status", "sundial status --json"))
        .action(async (options) => (await runCommands()).statusCommand(context(options), options));
    },
    settings: () => {
      command("settings", "list the settings, or get or set one (the same keys as the UI's Settings page)")
        .argument("[ACTION]", "get or set (nothing: list every setting)")
        .argument("[KEY]", `a setting: ${SETTING_KEYS.join(", ")}`)
        .argument("[VALUE]", "the new value (set only); on/off for switches")
        .option("--json", "print the value(s) as JSON")
        .addHelpText(
          "after",
          `\nSettings:\n${SETTING_KEYS.map((key) => `  ${key.padEnd(18)}${acceptedValues(key).padEnd(22)}${SETTINGS[key].help}`).join("\n")}\n` +
            examples("sundial settings", "sundial settings get theme", "sundial settings set time-format 24h", "sundial settings set history-max-days 30", "sundial settings --json"),
        )
        .action(async (action: string | undefined, key: string | undefined, value: string | undefined, options) =>
          (await settingsCommands()).settingsCommand(context(options), action, key, value, options),
        );
    },
    export: () => {
      command("export", "write every job's definition and state (paused, finished), and the channels, as JSON (to FILE, or stdout); or, with --to, as crontab lines, systemd units or launchd plists")
        .argument("[FILE]", "file to write (default: stdout); with --to: the folder to write (a crontab without one goes to stdout)")
        .option("--include-secrets", "write ping URLs, webhook URLs and channel commands in full (default: masked, ••••1a2b)")
        .option("--to <format>", "crontab, systemd or launchd instead of JSON; what they cannot hold is a comment in the output and a line on stderr")
        .option("--force", "with --to: write into a folder that is not empty (files of the same name are replaced)")
        .addHelpText(
          "after",
          examples(
            "sundial export jobs.json",
            "sundial export > jobs.json",
            "sundial export --include-secrets backup.json",
            "sundial export --to crontab > my.crontab",
            "sundial export --to systemd ~/sundial-units",
            "sundial export --to launchd ~/sundial-agents",
          ),
        )
        .action(async (file: string | undefined, options) =>
          options.to !== undefined
            ? (await interopCommands()).exportToCommand(context(options), options.to, file, options)
            : (await transfer()).exportCommand(context(options), file, options),
        );
    },
    channel: () => {
      const channel = command("channel", "where run outcomes and alerts go besides the desktop: webhooks and commands")
        .addHelpText(
          "after",
          `
A job names its channels with --channel NAME (repeatable); a job that names none notifies the
desktop only. A channel carries the events it lists (--events): ${CHANNEL_EVENTS.join(", ")}
(default ${DEFAULT_CHANNEL_EVENTS.join(",")}). Webhook URLs and commands are shown masked.
${examples(
  "sundial channel add ops --webhook https://ntfy.sh/my-topic --preset ntfy",
  "sundial channel add team --webhook https://hooks.slack.com/services/T0/B0/XXXX --preset slack --events failure,recovery",
  "sundial channel add mail --command 'mail -s Sundial me@example.com'",
  "sundial channel list",
  "sundial channel test ops",
  "sundial edit backup --channel ops --channel desktop",
)}`,
        );
      const channelSub = (name: string, description: string) => subcommand(channel, name, description);
      const channelContext = (options: GlobalOptions) => context({ home: options.home ?? channel.opts<GlobalOptions>().home });
      channelSub("add", "add a channel: a webhook (POST JSON) or a command (JSON on stdin)")
        .argument("<NAME>", "a name for the channel (letters, digits, . _ -)")
        .option("--webhook <url>", "POST each event to this http(s) URL")
        .option("--preset <preset>", `the webhook's body: ${WEBHOOK_PRESETS.join("|")} (default ${DEFAULT_WEBHOOK_PRESET})`)
        .option("--command <command>", "run this shell command with the event's JSON on stdin")
        .option("--events <list>", `what it carries, comma-separated: ${CHANNEL_EVENTS.join(",")} or all (default ${DEFAULT_CHANNEL_EVENTS.join(",")})`)
        .option("--timeout <duration>", `give up on one try after this long (default ${DEFAULT_CHANNEL_TIMEOUT_SECONDS}s)`)
        .option("--json", "print the channel as JSON")
        .action(async (name: string, options) => (await channelCommands()).channelAddCommand(channelContext(options), name, options));
      channelSub("list", "the channels, masked, with how their deliveries go")
        .option("--json", "print the channels as JSON")
        .action(async (options) => (await channelCommands()).channelListCommand(channelContext(options), options));
      channelSub("remove", "remove a channel (refused while a job names it)")
        .argument("<NAME>", "channel name")
        .action(async (name: string, options) => (await channelCommands()).channelRemoveCommand(channelContext(options), name));
      channelSub("test", "send a sample event to a channel now; exit 0 if it arrived")
        .argument("<NAME>", "channel name")
        .option("--json", "print the result as JSON")
        .action(async (name: string, options) => setExitCode(await (await channelCommands()).channelTestCommand(channelContext(options), name, options)));
    },
    import: () => {
      command("import", "add the jobs from an export file, or a crontab with --from-crontab (all or nothing: every job is checked first)")
        .argument("[FILE]", "a file written by sundial export; with --from-crontab a crontab (default: yours, from crontab -l; - reads stdin)")
        .option("--from-crontab", "read FILE as a crontab (cron lines, KEY=VALUE lines, CRON_TZ, @reboot, %)")
        .option("--dry-run", "with --from-crontab: print the plan (name, schedule, command, notes) and change nothing")
        .option("--no-rename", "with --from-crontab: refuse a name an existing job has instead of importing it as NAME-2")
        .option("--skip-unsupported", "with --from-crontab: leave out the lines Sundial cannot take instead of refusing the import")
        .option("--json", "print the added jobs (with --dry-run: the plan) as JSON")
        .addHelpText(
          "after",
          examples(
            "sundial import jobs.json",
            "sundial import jobs.json --home ~/other-home",
            "sundial import --from-crontab --dry-run",
            "sundial import --from-crontab",
            "sundial import --from-crontab old.crontab --skip-unsupported",
          ),
        )
        .action(async (file: string | undefined, options) => {
          if (options.fromCrontab) return setExitCode(await (await interopCommands()).importCrontabCommand(context(options), file, options));
          const crontabOnly = [options.dryRun && "--dry-run", options.rename === false && "--no-rename", options.skipUnsupported && "--skip-unsupported"].filter(Boolean);
          if (crontabOnly.length > 0) throw new CliInputError(crontabOnly.map((option) => `${option}: only with --from-crontab`));
          if (file === undefined) throw new CliInputError(["FILE: give the export file to import (or --from-crontab)"]);
          return (await transfer()).importCommand(context(options), file, options);
        });
    },
  };
  const called = argv[2];
  if (called !== undefined && Object.hasOwn(declarations, called)) declarations[called]!();
  else for (const declare of Object.values(declarations)) declare();

  return program;
}

/** Options shared by add and edit. */
function addJobOptions(command: Command): Command {
  return command
    .option("--cron <expr>", "cron schedule: 5 fields (6 with seconds first) or @hourly, @daily… (repeatable)", repeatable)
    .option("--every <duration>", "fixed interval: 90s, 5m, 1h30m, 2d (repeatable)", repeatable)
    .option("--at <datetime>", "once, at this ISO 8601 date-time (without offset: wall time in --tz) (repeatable)", repeatable)
    .option("--on <event>", `when the engine starts (startup: the app at login, or the daemon) or the computer wakes (wake): ${["startup", "wake"].join("|")} (repeatable)`, repeatable)
    .option("--watch <path>", "when this file or folder changes (repeatable)", repeatable)
    .option("--after <job>", `when another job's run ends: JOB[:${AFTER_OUTCOMES.join("|")}] (default ${DEFAULT_AFTER_OUTCOME}; repeatable)`, repeatable)
    .option("--manual", "no trigger: the job runs only from Run now, the tray, or as a chain step (--after)")
    .option("--tz <zone>", "IANA time zone for --cron and --at, and to read --start/--end (default: the system zone)")
    .option("--timeout <duration>", "stop the run (whole process tree) after this long")
    .option("--cwd <dir>", "working folder (default: your home folder)")
    .option("--shell <path>", "run the command with this shell's -c (default: /bin/sh; cmd.exe on Windows)")
    .option("--env <KEY=VALUE>", "set an environment variable (repeatable)", (pair: string, previous: string[] = []) => [...previous, pair])
    .option("--overlap <policy>", `when a run is due while the last is running: ${choices(OVERLAP_POLICIES, DEFAULT_OVERLAP_POLICY)}`)
    .option("--catch-up <policy>", `runs missed while Sundial was not running: ${choices(CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY)}`)
    .option("--retries <n>", "retry a failed run this many times (default 0)")
    .option("--retry-delay <duration>", "wait between retries (default 1m)")
    .option("--notify <when>", `desktop notification: ${NOTIFY_POLICIES.join("|")} (default: the default-notify setting, ${DEFAULT_NOTIFY_POLICY} unless changed)`)
    .option("--start <datetime>", "with --every: no run before this date-time; the rhythm counts from it")
    .option("--end <datetime>", "with --every: no run after this date-time")
    .option("--jitter <duration>", "with --every: start each run up to this much later, at random (shorter than the interval)")
    .option("--alert-after <n>", "alert once at the Nth failure in a row, instead of notifying each failure (1 or more)")
    .option("--alert-recovered", "alert once when it succeeds again after an alert")
    .option("--expect-success-within <duration>", "dead-man's switch: alert once when no run succeeded for this long")
    .option("--alert-slower-than <duration|auto>", "alert once while a run is still going after this long (auto: 3x its usual time, after 5 successes)")
    .option("--channel <name>", "send outcomes and alerts to this channel (repeatable; default: desktop; see sundial channel)", (name: string, previous: string[] = []) => [...previous, name])
    .option("--ping-url <url>", "ping this URL (healthchecks.io style): URL/start at start, URL on success, URL/fail on failure")
    .option("--tag <name>", "tag the job, to group and filter jobs by (repeatable; on edit the tags given replace the job's)", (name: string, previous: string[] = []) => [...previous, name])
    .option("--between <HH:MM-HH:MM>", "run only within this time of day, in the job's zone (may wrap midnight: 22:00-06:00)")
    .option("--days <list>", "run only on these days: mon-fri, mon,wed,fri, sat-sun")
    .option("--skip-dates <list>", "never run on these dates: 2026-12-24,2026-12-31..2027-01-02")
    .option("--ac-power", "run only on mains power (a machine without a battery always is)")
    .option("--online", "run only while a network is up")
    .option("--if-unmet <policy>", "a run due while a condition does not hold: skip (default; recorded skipped with the reason), wait, or wait:DURATION (then skipped); Run now is never held back");
}

/** Commander's collector for an option given several times. */
function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A policy option's values for its help line: `skip|once|all (default once)`. */
function choices(values: readonly string[], fallback: string): string {
  return `${values.join("|")} (default ${fallback})`;
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
