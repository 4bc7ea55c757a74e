/** A call's length as a clock shows it: `0:42`, `12:05`, `1:02:09`. */
export function formatCallDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

export interface CallLineMeta {
  kind?: string;
  callKind?: string;
  durationSeconds?: number | null;
}

/**
 * What a call's event line in a chat says, or null for a line that is not about a call.
 * `actor` starts the sentence of a call started ("You", "Ann").
 */
export function describeCallLine(meta: CallLineMeta, actor: string): string | null {
  const what = meta.callKind === "video" ? "video call" : "audio call";
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  switch (meta.kind) {
    case "call_started":
      return `${actor} started ${meta.callKind === "video" ? "a" : "an"} ${what}`;
    case "call_missed":
      return `Missed ${what}`;
    case "call_declined":
      return `${What} declined`;
    case "call_ended":
      return typeof meta.durationSeconds === "number"
        ? `${What} ended · ${formatCallDuration(meta.durationSeconds)}`
        : `${What} ended`;
    default:
      return null;
  }
}
