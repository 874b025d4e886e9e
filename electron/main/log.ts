/** The app's log: readable lines on stderr (visible when started from a terminal or `npm start`). */

export type Log = (line: string) => void;

export function createLog(write: (text: string) => void = (text) => process.stderr.write(text)): Log {
  return (line) => write(`${timestamp(new Date())} ${line}\n`);
}

/** `2026-11-25 12:00:01`, local time, like the daemon's log. */
function timestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
