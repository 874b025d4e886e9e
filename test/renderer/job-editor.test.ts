// @vitest-environment jsdom
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import JobEditor from "../../renderer/src/components/JobEditor.svelte";
import { ValidationError } from "../../electron/shared/errors.js";
import { CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY, DEFAULT_OVERLAP_POLICY, NOTIFY_POLICIES, OVERLAP_POLICIES } from "../../electron/shared/policies.js";
import { followTimeFormat } from "../../renderer/src/lib/format.js";
import { EditorState } from "../../renderer/src/lib/state/editor.svelte.js";
import { fakeClient, makeJob, settle } from "./support.js";

const TIMES = ["2026-03-02T03:00:00+01:00", "2026-03-03T03:00:00+01:00", "2026-03-04T03:00:00+01:00", "2026-03-05T03:00:00+01:00", "2026-03-06T03:00:00+01:00"];

function renderEditor(options: { job?: ReturnType<typeof makeJob> } = {}) {
  const client = fakeClient();
  client.previewTrigger = vi.fn(async ({ trigger }) => {
    if (trigger.type === "cron" && trigger.expression.startsWith("61")) {
      throw new ValidationError([{ field: "trigger.expression", message: "minute 61 is out of range (0-59)" }]);
    }
    return { description: "At 03:00", times: TIMES };
  });
  const editor = new EditorState({ client, systemZone: "Europe/Paris", previewDelayMs: 0, now: () => Date.parse("2026-03-01T12:00:00Z"), ...options });
  const onsave = vi.fn(() => void editor.save());
  const oncancel = vi.fn();
  render(JobEditor, { props: { editor, onsave, oncancel } });
  return { client, editor, onsave, oncancel };
}

/** Types into a field the way a browser reports it, then lets the preview answer. */
async function type(label: string, text: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value: text } });
  await new Promise((resolve) => setTimeout(resolve, 0));
  await settle();
}

function describedText(input: HTMLElement): string {
  return (input.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

// The words' clock follows the time-format setting; these read the 24-hour one.
beforeEach(() => followTimeFormat(() => "24h"));

describe("the job editor", () => {
  it("is a dialog headed New job whose fields are found by their labels", () => {
    renderEditor();
    const dialog = screen.getByRole("dialog", { name: "New job" });
    for (const label of ["Name", "Cron expression", "Time zone", "Command", "Working directory", "Timeout", "Overlap", "Catch-up", "Retries", "Retry delay", "Notify"]) {
      expect(within(dialog).getByLabelText(label)).toBeTruthy();
    }
    const kinds = within(dialog).getByLabelText("Kind") as HTMLSelectElement;
    expect([...kinds.options].map((option) => option.text)).toEqual(["Cron", "Every", "Once at", "At login/startup", "After wake", "When a file or folder changes", "After another job"]);
    for (const name of ["Every hour", "Every day at…", "Weekdays at…", "Remove trigger 1", "Add trigger", "Add variable", "Cancel", "Save"]) {
      expect(within(dialog).getByRole("button", { name })).toBeTruthy();
    }
    expect((screen.getByLabelText("Time zone") as HTMLInputElement).value).toBe("Europe/Paris");
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
  });

  it("offers exactly the shared policy values in its selects, the shared defaults chosen", () => {
    renderEditor();
    // Notify's first choice, "" (As in Settings), leaves the job following the default-notify setting.
    for (const [label, values, fallback] of [
      ["Overlap", OVERLAP_POLICIES, DEFAULT_OVERLAP_POLICY],
      ["Catch-up", CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY],
      ["Notify", ["", ...NOTIFY_POLICIES], ""],
    ] as const) {
      const select = screen.getByLabelText(label) as HTMLSelectElement;
      expect([...select.options].map((option) => option.value)).toEqual([...values]);
      for (const option of select.options) expect(option.textContent?.trim()).not.toBe("");
      expect(select.value).toBe(fallback);
    }
  });

  it("shows an error inline as you type, tied to its field by aria-describedby and aria-invalid", async () => {
    renderEditor();
    await type("Name", "b");
    await type("Name", "");
    const name = screen.getByLabelText("Name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(describedText(name)).toContain("must not be empty");
  });

  it("shows the engine's verdict on a bad cron expression next to it, and Save stays disabled", async () => {
    renderEditor();
    await type("Name", "backup");
    await type("Command", "true");
    await type("Cron expression", "61 * * * *");

    const expression = screen.getByLabelText("Cron expression");
    expect(expression.getAttribute("aria-invalid")).toBe("true");
    expect(describedText(expression)).toContain("minute 61 is out of range (0-59)");
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("lists the next five runs and the expression in words for a good expression, and enables Save", async () => {
    renderEditor();
    await type("Name", "backup");
    await type("Command", "true");
    await fireEvent.click(screen.getByRole("button", { name: "Every day at…" }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle();

    expect((screen.getByLabelText("Cron expression") as HTMLInputElement).value).toBe("0 9 * * *");
    expect(screen.getByText("At 09:00")).toBeTruthy();
    const nextRuns = screen.getByRole("list", { name: /^Next runs \(.+\)$/ });
    expect(within(nextRuns).getAllByRole("listitem")).toHaveLength(5);
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("switches to Every for intervals and Run at for one-off runs", async () => {
    renderEditor();
    await fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "interval" } });
    expect(screen.queryByLabelText("Cron expression")).toBeNull();
    await type("Every", "5 minutes");
    expect(describedText(screen.getByLabelText("Every"))).toContain("is not a duration");

    await fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "once" } });
    expect((screen.getByLabelText("Run at") as HTMLInputElement).type).toBe("datetime-local");
  });

  it("lists triggers in groups named by their place, each kind with its own fields, and says a job without any is manual", async () => {
    const client = fakeClient();
    const editor = new EditorState({ client, systemZone: "Europe/Paris", previewDelayMs: 0, jobs: [{ id: "j_b", name: "backup" }] });
    render(JobEditor, { props: { editor, onsave: vi.fn(), oncancel: vi.fn() } });
    await fireEvent.click(screen.getByRole("button", { name: "Add trigger" }));
    await fireEvent.click(screen.getByRole("button", { name: "Add trigger" }));
    const second = screen.getByRole("group", { name: "Trigger 2" });
    await fireEvent.change(within(second).getByLabelText("Kind"), { target: { value: "watch" } });
    expect(within(second).getByLabelText("Path")).toBeTruthy();
    expect((within(second).getByLabelText("Include subfolders") as HTMLInputElement).checked).toBe(false);
    expect((within(second).getByLabelText("Wait for quiet") as HTMLInputElement).value).toBe("2s");
    const third = screen.getByRole("group", { name: "Trigger 3" });
    await fireEvent.change(within(third).getByLabelText("Kind"), { target: { value: "after" } });
    const parents = within(third).getByLabelText("After job") as HTMLSelectElement;
    expect([...parents.options].map((option) => option.text)).toEqual(["Choose a job…", "backup"]);
    expect([...(within(third).getByLabelText("When it") as HTMLSelectElement).options].map((option) => option.value)).toEqual(["success", "failure", "always"]);
    await fireEvent.change(within(third).getByLabelText("Kind"), { target: { value: "startup" } });
    expect(within(third).getByLabelText("Delay")).toBeTruthy();

    for (const name of ["Remove trigger 3", "Remove trigger 2", "Remove trigger 1"]) await fireEvent.click(screen.getByRole("button", { name }));
    expect(screen.getByText(/No trigger: a manual job\. Runs only when you start it, or as a chain step\./)).toBeTruthy();
    expect(editor.values.triggers).toEqual([]);
  });

  it("adds and removes environment variable rows", async () => {
    const { editor } = renderEditor();
    await fireEvent.click(screen.getByRole("button", { name: "Add variable" }));
    await fireEvent.input(screen.getByLabelText("Variable name"), { target: { value: "2X" } });
    await fireEvent.input(screen.getByLabelText("Value"), { target: { value: "1" } });
    expect(describedText(screen.getByLabelText("Variable name"))).toContain("must be a variable name");

    await fireEvent.click(screen.getByRole("button", { name: "Remove variable 2X" }));
    expect(screen.queryByLabelText("Variable name")).toBeNull();
    expect(editor.values.env).toEqual([]);
  });

  it("submits with Enter and closes with Escape", async () => {
    const { onsave, oncancel } = renderEditor({ job: makeJob({ name: "backup" }) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    expect(screen.getByRole("dialog", { name: "Edit job" })).toBeTruthy();

    await fireEvent.submit(screen.getByLabelText("Name").closest("form")!);
    expect(onsave).toHaveBeenCalledOnce();

    await fireEvent.keyDown(screen.getByLabelText("Name"), { key: "Escape" });
    expect(oncancel).toHaveBeenCalledOnce();
  });
});
