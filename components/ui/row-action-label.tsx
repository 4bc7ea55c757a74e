/**
 * The words of a table row's action button: beside its icon on wide screens (`2xl`), and
 * below that for screen readers only, the button's tooltip saying them to everyone else, so
 * the table keeps room for its data. `detail` names what the action is for (the key, the
 * request), for screen readers, since every row has the same button.
 */
export function RowActionLabel({ label, detail }: { label: string; detail?: string }) {
  return (
    <>
      <span className="max-2xl:sr-only">{label}</span>
      {detail ? <span className="sr-only"> {detail}</span> : null}
    </>
  );
}
