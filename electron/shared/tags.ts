/**
 * A job's tags (issue 17): short labels a user groups jobs by (`backup`, `work`). The bounds,
 * the check of one tag and the one matching rule every face uses (`list --tag`, the jobs
 * page's filter, the tray's groups). Zod-free: the CLI and the renderer import it.
 */
import { nameCharacterProblem } from "./limits.js";

/** The longest tag, in characters: a label, not a sentence. */
export const MAX_TAG_LENGTH = 40;
/** The most tags one job may carry. */
export const MAX_TAGS_PER_JOB = 16;

/**
 * Why `tag` (already trimmed) is not a tag, or null when it is. A comma is refused so a list
 * typed as `backup, work` (the editor's field) always reads back as the same tags.
 */
export function tagProblem(tag: string): string | null {
  if (tag.length === 0) return "must not be empty";
  if ([...tag].length > MAX_TAG_LENGTH) return `must be at most ${MAX_TAG_LENGTH} characters`;
  if (tag.includes(",")) return "must not contain a comma";
  return nameCharacterProblem(tag);
}

/**
 * Every problem with a job's tags (each already trimmed): a bad tag or one given twice (without
 * regard to case) names its index; too many tags names none. The schema and the editor read these.
 */
export function tagListIssues(tags: readonly string[]): { index: number | null; message: string }[] {
  const issues: { index: number | null; message: string }[] = [];
  if (tags.length > MAX_TAGS_PER_JOB) issues.push({ index: null, message: `must be at most ${MAX_TAGS_PER_JOB} tags` });
  const seen = new Set<string>();
  tags.forEach((tag, index) => {
    const problem = tagProblem(tag);
    if (problem) issues.push({ index, message: problem });
    else if (seen.has(tag.toLocaleLowerCase())) issues.push({ index, message: `"${tag}" is given twice` });
    seen.add(tag.toLocaleLowerCase());
  });
  return issues;
}

/** Whether a job carries `tag`; tags match without regard to case (`Backup` finds `backup`). */
export function hasTag(job: { tags?: readonly string[] }, tag: string): boolean {
  const wanted = tag.trim().toLocaleLowerCase();
  return (job.tags ?? []).some((own) => own.toLocaleLowerCase() === wanted);
}

/** Every tag the jobs carry, each once (the first spelling met), sorted as people read them. */
export function allTags(jobs: readonly { tags?: readonly string[] }[]): string[] {
  const byKey = new Map<string, string>();
  for (const job of jobs) for (const tag of job.tags ?? []) if (!byKey.has(tag.toLocaleLowerCase())) byKey.set(tag.toLocaleLowerCase(), tag);
  return [...byKey.values()].sort((a, b) => a.localeCompare(b));
}

/** Tags typed as one line (`backup, work`): split at commas, trimmed, empty parts dropped. */
export function tagsFromText(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
