/**
 * Who may call the engine over IPC: only the main frame of our own window, showing our own
 * page. Not a subframe (an iframe could embed anything), not DevTools or another
 * WebContents, not our window after it somehow navigated elsewhere. Structural types only,
 * so the check is tested with plain objects.
 */
import { isAppUrl } from "./app-protocol.js";

/** The frame that sent a message: Electron's WebFrameMain has these fields. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
  /** Unique per frame in the browser process; tells frames apart even across wrapper objects. */
  readonly frameTreeNodeId?: number;
}

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcSenderLike {
  readonly sender: unknown;
  /** Null when the frame navigated or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrameLike | null;
}

/** The parts of Electron's WebContents the check compares with. */
export interface TrustedContentsLike {
  readonly id?: number;
  readonly mainFrame: SenderFrameLike;
}

export type SenderCheck = (event: IpcSenderLike) => boolean;

/** `windowContents` returns the window's WebContents, or null while no window is open. */
export function createSenderCheck(windowContents: () => TrustedContentsLike | null): SenderCheck {
  return (event) => {
    const contents = windowContents();
    if (!contents || !sameContents(event.sender, contents)) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !sameFrame(frame, contents.mainFrame)) return false;
    return isAppUrl(frame.url);
  };
}

/** Electron caches its wrappers, but ids are what it guarantees: compare both ways. */
function sameContents(sender: unknown, contents: TrustedContentsLike): boolean {
  if (sender === contents) return true;
  const id = (sender as { id?: unknown } | null)?.id;
  return typeof id === "number" && id === contents.id;
}

function sameFrame(frame: SenderFrameLike, mainFrame: SenderFrameLike): boolean {
  if (frame === mainFrame) return true;
  return typeof frame.frameTreeNodeId === "number" && frame.frameTreeNodeId === mainFrame.frameTreeNodeId;
}
