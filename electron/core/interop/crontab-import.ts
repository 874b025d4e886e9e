/**
 * A crontab (Vixie cron / cronie syntax, crontab(5)) read into the jobs Sundial would add:
 * a plan, pure over the text, that the service shows before it stores anything.
 *
 * What cron does, and what the plan makes of it:
 * - `KEY=VALUE` lines (spaces around `=` allowed, the value optionally quoted) hold for the
 *   lines below them, as cron copies the environment into each entry it reads: `SHELL` is the
 *   job's shell, `HOME` its variable and its folder (cron runs a job in `$HOME`), `CRON_TZ`
 *   the cron trigger's zone, `MAILTO` / `MAILFROM` / `RANDOM_DELAY` have no equivalent (a note);
 *   any other variable goes into the job's env.
 * - A comment on the line directly above a job line is its name (a commented-out job line is
 *   not); else the name comes from the command's first word.
 * - An unescaped `%` ends the command; the rest is its standard input with each `%` a newline
 *   (`\%` is a literal `%`), ended by a newline as cron writes it. Sundial has no stdin field,
 *   so the command becomes `printf '%s\n' 'line 1' 'line 2' | ( command )`.
 * - `@reboot` is a startup trigger; the other `@` aliases and the five fields are the engine's
 *   own cron trigger, which follows cronie (names, ranges, steps, the day-of-month /
 *   day-of-week OR rule).
 * - Lines with the same name comment, command and environment are one job with several triggers
 *   (that is how `sundial export --to crontab` writes a job with several schedules).
 */
import { canonicalTimeZone } from "../../shared/civil-time.js";
import type { CrontabPlan, CrontabPlanEntry, CrontabUnsupportedLine } from "../../shared/crontab.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { nameCharacterProblem } from "../../shared/limits.js";
import { validateTrigger } from "../triggers/index.js";

export interface CrontabPlanOptions {
  /** Names existing jobs hold. */
  takenNames: ReadonlySet<string>;
  /** Rename a clash with an existing job (`name-2`), or refuse it (listed in `clashes`). */
  rename: boolean;
  /** What "never fires" is measured from. */
  now: Date;
}

/** The `@` words cron knows (crontab(5)); `@reboot` is the startup trigger. */
export const CRON_ALIASES = ["@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

const ENV_LINE = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s="']+))\s*=\s*(.*)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A token that reads as a schedule field rather than a command: digits, `*`, `?`, ranges, steps, lists. */
const FIELD_LIKE = /^(?=.*[\d*?])[\d*?/,\-LW#]+$/;
/** A field written with month or weekday names: `mon-fri`, `jan,jul`, `sat`. */
const NAMED_FIELD = /^[a-z]{3}([-,/][a-z0-9]{1,3})*$/i;
const FIELD_COUNT_WORDS = "minute hour day-of-month month day-of-week";
const MAX_NAME_LENGTH = 80;
/** Variables cron reads for itself; the plan says what becomes of each. */
const NO_EQUIVALENT: Record<string, string> = {
  MAILTO: "Sundial does not mail a job's output; add a channel for failures instead (sundial channel add mail --command 'mail -s Sundial you@example.com')",
  MAILFROM: "Sundial does not mail a job's output",
  RANDOM_DELAY: "cronie's random delay has no equivalent for cron schedules in Sundial",
};

interface Environment {
  env: Record<string, string>;
  shell?: string;
  cwd?: string;
  /** undefined: the system zone; null: an unknown CRON_TZ (line `zoneLine`), so times cannot be trusted. */
  zone: string | undefined | null;
  zoneLine: number;
}

/** The plan for a crontab's text; `unsupported` names each line it cannot take. */
export function planCrontab(text: string, options: CrontabPlanOptions): CrontabPlan {
  const unsupported: CrontabUnsupportedLine[] = [];
  const notes: string[] = [];
  const entries: CrontabPlanEntry[] = [];
  const current: Environment = { env: {}, zone: undefined, zoneLine: 0 };
  let comment: string | null = null;

  text.split("\n").forEach((rawLine, index) => {
    const number = index + 1;
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const unsupportedLine = (reason: string) => unsupported.push({ line: number, text: line, reason });
    const trimmed = line.trim();
    const pendingComment = comment;
    comment = null;
    if (trimmed === "") return;
    if (trimmed.startsWith("#")) {
      const words = trimmed.replace(/^#+/, "").trim();
      comment = words !== "" && !looksLikeJobLine(words) ? words : null;
      return;
    }
    const assignment = readEnvLine(line);
    if (assignment !== null) {
      const { name, value } = assignment;
      if (name === "CRON_TZ") {
        const zone = value === "" ? undefined : canonicalTimeZone(value);
        current.zone = zone === null ? null : zone;
        current.zoneLine = number;
        if (zone === null) unsupportedLine(`CRON_TZ: unknown time zone "${value}"`);
      } else if (name === "SHELL") {
        if (value === "") delete current.shell;
        else current.shell = value;
      } else if (Object.hasOwn(NO_EQUIVALENT, name)) {
        // An empty MAILTO turns cron's mail off: nothing is lost.
        if (value !== "") notes.push(`line ${number}: ${name}=${value}: ${NO_EQUIVALENT[name]}`);
      } else if (!ENV_NAME.test(name)) {
        unsupportedLine(`"${name}" is not a variable name Sundial can set (letters, digits, _)`);
      } else {
        current.env = { ...current.env, [name]: value };
        if (name === "HOME") current.cwd = value;
      }
      return;
    }
    const job = readJobLine(line);
    if ("reason" in job) return unsupportedLine(job.reason);
    const zone = current.zone;
    if (zone === null && job.trigger.type === "cron") return unsupportedLine(`under an unknown CRON_TZ (line ${current.zoneLine})`);
    const trigger: TriggerSpec = job.trigger.type === "cron" && typeof zone === "string" ? { ...job.trigger, timezone: zone } : job.trigger;
    if (trigger.type === "cron") {
      const problems = validateTrigger(trigger, options.now);
      if (problems.length > 0) return unsupportedLine(problems.map((issue) => issue.message).join("; "));
    }
    const { command, stdinNote } = commandWithStdin(job.command);
    if (command.trim() === "") return unsupportedLine("has no command");
    const named = pendingComment !== null ? sanitisedName(pendingComment) : null;
    const notesOfLine = [...job.notes, ...(stdinNote ? [stdinNote] : [])];
    const same = named !== null ? entries.findLast((entry) => entry.name === named) : undefined;
    if (same && sameRun(same.job, command, current)) {
      if (!same.triggers.some((existing) => JSON.stringify(existing) === JSON.stringify(trigger))) same.triggers.push(trigger);
      same.lines.push(number);
      for (const note of notesOfLine) if (!same.notes.includes(note)) same.notes.push(note);
      return;
    }
    const triggers = [trigger];
    entries.push({
      lines: [number],
      name: named ?? nameFromCommand(job.command),
      triggers,
      command,
      notes: notesOfLine,
      job: {
        name: "",
        triggers,
        command,
        env: { ...current.env },
        ...(current.shell !== undefined ? { shell: current.shell } : {}),
        ...(current.cwd !== undefined ? { cwd: current.cwd } : {}),
      },
    });
  });

  const clashes = assignNames(entries, options);
  return { jobs: entries, unsupported, notes, clashes };
}

/** `0 3 * * * cmd` or `@daily cmd`: a job line, not an assignment (cron tries the assignment first, as here). */
function looksLikeJobLine(text: string): boolean {
  const words = text.split(/\s+/);
  if (words[0]?.startsWith("@")) return (CRON_ALIASES as readonly string[]).includes(words[0].toLowerCase()) && words.length > 1;
  return words.length > 5 && words.slice(0, 5).every((word) => FIELD_LIKE.test(word) || NAMED_FIELD.test(word));
}

/** `NAME = value`, the value's surrounding quotes removed (cronie's load_env); null for any other line. */
function readEnvLine(line: string): { name: string; value: string } | null {
  const match = ENV_LINE.exec(line);
  if (!match) return null;
  const name = match[1] ?? match[2] ?? match[3]!;
  let value = match[4]!.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
  return { name, value };
}

type JobLine = { trigger: TriggerSpec; command: string; notes: string[] } | { reason: string };

function readJobLine(line: string): JobLine {
  const notes: string[] = [];
  let rest = line.trimStart();
  // cronie: a leading `-` asks cron not to log the run to syslog; Sundial keeps every run's record anyway.
  if (rest.startsWith("-") && !rest.startsWith("- ")) {
    rest = rest.slice(1);
    notes.push("the leading '-' (no syslog entry) has no effect: Sundial records every run");
  }
  if (rest.startsWith("@")) {
    const match = /^(\S+)\s+(.*)$/.exec(rest);
    const alias = (match?.[1] ?? rest).toLowerCase();
    if (!(CRON_ALIASES as readonly string[]).includes(alias)) {
      return { reason: `unknown alias "${match?.[1] ?? rest}" (cron knows ${CRON_ALIASES.join(", ")})` };
    }
    if (!match || match[2]!.trim() === "") return { reason: `${alias} has no command` };
    const trigger: TriggerSpec = alias === "@reboot" ? { type: "startup", version: 1 } : { type: "cron", version: 1, expression: alias };
    return { trigger, command: match[2]!, notes };
  }
  const words = rest.split(/\s+/);
  // Month and weekday names only where cron reads them; past the fifth word, a name is the command.
  const fieldCount = words.findIndex((word, index) => !FIELD_LIKE.test(word) && !(index < 5 && NAMED_FIELD.test(word)));
  const leadingFields = fieldCount < 0 ? words.length : fieldCount;
  if (leadingFields > 5 && words.length > 6) {
    return { reason: `has ${Math.min(leadingFields, words.length - 1)} time fields; a crontab line has 5 (${FIELD_COUNT_WORDS}) and then the command` };
  }
  const match = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(rest);
  if (!match || match[6]!.trim() === "") return { reason: `needs 5 time fields (${FIELD_COUNT_WORDS}) and a command` };
  const expression = match.slice(1, 6).join(" ");
  return { trigger: { type: "cron", version: 1, expression }, command: match[6]!, notes };
}

/**
 * cron's `%` rule (crontab(5)): the first unescaped `%` ends the command, the rest is its
 * standard input, each further unescaped `%` a newline; `\%` is a `%` in either part.
 */
export function splitPercent(text: string): { command: string; stdin: string | null } {
  let command = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "\\" && text[index + 1] === "%") {
      command += "%";
      index++;
    } else if (char === "%") {
      return { command, stdin: stdinOf(text.slice(index + 1)) };
    } else command += char;
  }
  return { command, stdin: null };
}

function stdinOf(rest: string): string {
  let data = "";
  for (let index = 0; index < rest.length; index++) {
    const char = rest[index]!;
    if (char === "\\" && rest[index + 1] === "%") {
      data += "%";
      index++;
    } else data += char === "%" ? "\n" : char;
  }
  // cron ends the data with a newline when it has none.
  return data.endsWith("\n") ? data : `${data}\n`;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The command Sundial stores for a cron command, its `%` stdin fed by `printf` (one line, so an export to crontab stays one line). */
function commandWithStdin(text: string): { command: string; stdinNote: string | null } {
  const { command, stdin } = splitPercent(text);
  if (stdin === null) return { command, stdinNote: null };
  const lines = stdin.slice(0, -1).split("\n");
  // A newline would end a `# comment` inside the group; `;` would not.
  const group = command.includes("#") ? `(\n${command}\n)` : `( ${command} )`;
  return {
    command: `printf '%s\\n' ${lines.map(shellQuote).join(" ")} | ${group}`,
    stdinNote: `the text after % (${lines.length} line${lines.length === 1 ? "" : "s"}) is the command's standard input, given by printf`,
  };
}

function sameRun(job: CrontabPlanEntry["job"], command: string, current: Environment): boolean {
  return job.command === command && job.shell === current.shell && job.cwd === current.cwd && JSON.stringify(job.env) === JSON.stringify(current.env);
}

/** A comment as a job name: one line, no control characters, at most MAX_NAME_LENGTH characters. */
export function sanitisedName(comment: string): string | null {
  let name = "";
  for (const char of comment.replace(/\s+/g, " ").trim()) if (nameCharacterProblem(char) === null) name += char;
  name = [...name.trim()].slice(0, MAX_NAME_LENGTH).join("").trim();
  return name === "" ? null : name;
}

/** `/usr/local/bin/backup.sh --all` → `backup.sh`; variables set before the command are passed over. */
function nameFromCommand(command: string): string {
  const { command: plain } = splitPercent(command);
  const words = plain.trim().split(/\s+/).map((word) => word.replace(/^["'(]+|["');]+$/g, ""));
  const word = words.find((candidate) => candidate !== "" && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(candidate) && candidate !== "cd") ?? "job";
  const base = word.split("/").filter((part) => part !== "").at(-1) ?? word;
  return sanitisedName(base) ?? "job";
}

/**
 * Every entry's final name: unique within the crontab (a second `backup` is `backup-2`) and,
 * unless renaming was refused, against existing jobs. Returns the clashes refused.
 */
function assignNames(entries: CrontabPlanEntry[], options: CrontabPlanOptions): string[] {
  const used = new Set<string>();
  const clashes: string[] = [];
  for (const entry of entries) {
    const wanted = entry.name;
    const taken = (name: string) => used.has(name) || options.takenNames.has(name);
    if (options.takenNames.has(wanted) && !options.rename) clashes.push(`line ${entry.lines[0]}: a job named "${wanted}" already exists`);
    let name = wanted;
    for (let suffix = 2; taken(name); suffix++) name = `${wanted}-${suffix}`;
    if (name !== wanted) {
      entry.renamedFrom = wanted;
      entry.notes.unshift(options.takenNames.has(wanted) ? `renamed: a job named "${wanted}" already exists` : `renamed: "${wanted}" is the name of an earlier line`);
    }
    entry.name = name;
    entry.job.name = name;
    used.add(name);
  }
  return clashes;
}
