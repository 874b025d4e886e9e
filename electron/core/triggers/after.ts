/**
 * `after` triggers at save time: the job each one names is found (by id or unique name) and
 * stored by id, and a chain that would loop is refused (`triggers[1].job: would form a cycle
 * backup → upload → backup`). Pure: the caller passes the jobs there are.
 */
import type { FieldIssue } from "../../shared/errors.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { cycleProblem } from "../../shared/wording.js";

/** A job as the chain check sees it. */
export interface ChainJob {
  id: string;
  name: string;
  triggers: readonly TriggerSpec[];
}

/** The job being saved: `id` null for a new one; `batch` names the other jobs of the same import. */
export interface LinkContext {
  self: { id: string | null; name: string };
  /** The stored jobs (the job being edited among them, under its old definition). */
  jobs: readonly ChainJob[];
  /** Other jobs added in the same import, known by name until they are stored. */
  batch?: readonly { name: string; triggers: readonly TriggerSpec[] }[];
}

/** A node of the chain graph: a stored job's id, or `batch:` and the name of a job being imported. */
type Key = string;
const SELF: Key = "self:";
const batchKey = (name: string): Key => `batch:${name}`;

/**
 * The triggers with each `after`'s job resolved to a stored job's id (a job of the same import
 * keeps its name: the scheduler links it when it has an id), and every problem: a job that
 * does not exist, a name two jobs share, a cycle.
 */
export function linkAfterTriggers(triggers: readonly TriggerSpec[], context: LinkContext): { triggers: TriggerSpec[]; issues: FieldIssue[] } {
  const { self, jobs, batch = [] } = context;
  const others = jobs.filter((job) => job.id !== self.id);
  const byId = new Map(others.map((job) => [job.id, job]));
  const batchByName = new Map(batch.filter((job) => job.name !== self.name).map((job) => [job.name, job]));

  /** The node a reference names, or a problem in words. */
  const resolve = (ref: string): { key: Key } | { problem: string } => {
    if (ref === self.id || ref === self.name) return { key: SELF };
    if (byId.has(ref)) return { key: ref };
    const named = others.filter((job) => job.name === ref);
    if (named.length === 1) return { key: named[0]!.id };
    if (named.length > 1) return { problem: `"${ref}" is the name of ${named.length} jobs; give the job's id (${named.map((job) => job.id).join(", ")})` };
    if (batchByName.has(ref)) return { key: batchKey(ref) };
    return { problem: `no job with id or name "${ref}"` };
  };

  const issues: FieldIssue[] = [];
  const linked: TriggerSpec[] = [];
  const selfParents: { index: number; key: Key }[] = [];
  triggers.forEach((trigger, index) => {
    if (trigger.type !== "after") {
      linked.push(trigger);
      return;
    }
    const found = resolve(trigger.job);
    if ("problem" in found) {
      issues.push({ field: `triggers[${index}].job`, message: found.problem });
      linked.push(trigger);
      return;
    }
    selfParents.push({ index, key: found.key });
    const stored = found.key === SELF ? (self.id ?? self.name) : found.key.startsWith("batch:") ? trigger.job : found.key;
    linked.push({ ...trigger, job: stored });
  });

  const parentsOf = (key: Key): Key[] => {
    if (key === SELF) return selfParents.map((parent) => parent.key);
    const definition = key.startsWith("batch:") ? batchByName.get(key.slice("batch:".length)) : byId.get(key);
    if (!definition) return [];
    const parents: Key[] = [];
    for (const trigger of definition.triggers) {
      if (trigger.type !== "after") continue;
      const found = resolve(trigger.job);
      if ("key" in found) parents.push(found.key);
    }
    return parents;
  };
  const nameOf = (key: Key): string => (key === SELF ? self.name : key.startsWith("batch:") ? key.slice("batch:".length) : (byId.get(key)?.name ?? key));

  for (const { index, key } of selfParents) {
    const path = pathBackToSelf(key, parentsOf);
    if (path) issues.push({ field: `triggers[${index}].job`, message: cycleProblem([self.name, ...path.map(nameOf)]) });
  }
  return { triggers: linked, issues };
}

/** The nodes from `start` along parents until the job being saved, or null when no chain leads back to it. */
function pathBackToSelf(start: Key, parentsOf: (key: Key) => Key[]): Key[] | null {
  const seen = new Set<Key>();
  const walk = (key: Key): Key[] | null => {
    if (key === SELF) return [SELF];
    if (seen.has(key)) return null;
    seen.add(key);
    for (const parent of parentsOf(key)) {
      const rest = walk(parent);
      if (rest) return [key, ...rest];
    }
    return null;
  };
  return walk(start);
}
