import { Fragment } from "react";

/**
 * An endpoint or action name that wraps only after a "/", "." or "_" — never in the middle of
 * a word ("api_key.revoked", "/api/v1/chats/{chatId}/messages"). A segment wider than its
 * cell still wraps, as a last resort.
 */
export function EndpointText({ value }: { value: string }) {
  const segments = value.split(/(?<=[/._])/);
  return (
    <span className="wrap-break-word">
      {segments.map((segment, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {segment}
        </Fragment>
      ))}
    </span>
  );
}
