export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid="form-error"
      className="rounded-md border border-destructive/30 bg-destructive-soft px-3 py-2 text-sm text-destructive-text"
    >
      {message}
    </p>
  );
}
