import type { TriggerSpec } from "../../shared/schemas.js";

/**
 * A trigger is data plus pure math: it holds no timer and reads no clock. How it reads in
 * words is not its business but its kind's (shared/trigger-kinds.ts describeTrigger).
 */
export interface Trigger {
  /** The spec it was built from (a job's times together, `JobTimes`, have several). */
  readonly spec?: TriggerSpec;
  /**
   * The first fire time strictly after `after`, or null when the trigger will never fire
   * again (a date that has passed, an interval past its end).
   */
  next(after: Date): Date | null;
}
