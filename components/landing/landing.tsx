import { FileLock2, KeyRound, MessagesSquare, ShieldCheck } from "lucide-react";
import Link from "next/link";
import type { ComponentType, SVGProps } from "react";
import { Button } from "@/components/ui/button";

interface Feature {
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  title: string;
  text: string;
}

const FEATURES: Feature[] = [
  {
    icon: MessagesSquare,
    title: "Conversations that keep up",
    text: "Direct and group chats with replies, reactions, edits with their history, files and search, live for everyone in the chat.",
  },
  {
    icon: ShieldCheck,
    title: "Privacy decided by the database",
    text: "Every read and write is checked by row-level security in PostgreSQL: what you may not see never leaves the database.",
  },
  {
    icon: KeyRound,
    title: "An API with scoped keys",
    text: "Connect your own tools through the REST API, each key limited to what it needs, rotated or revoked in a click.",
  },
  {
    icon: FileLock2,
    title: "A trail you can read",
    text: "Every API call and every change to your account is recorded, and you can read your own audit log at any time.",
  },
];

/** The signed-out front page: what Parley is, and the two ways in. */
export function Landing() {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="mx-auto flex w-full max-w-5xl items-center justify-between px-6 py-5">
        <span className="text-xl font-bold tracking-tight text-primary-text">Parley</span>
        <nav aria-label="Account">
          <Button asChild variant="ghost">
            <Link href="/sign-in">Sign in</Link>
          </Button>
        </nav>
      </header>
      <main className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-14 px-6 pt-10 pb-16 sm:pt-20">
        <section aria-labelledby="landing-title" className="max-w-2xl space-y-6">
          <h1 id="landing-title" className="text-4xl font-bold tracking-tight sm:text-5xl">
            Team chat you can trust with what you say
          </h1>
          <p className="text-lg text-muted-foreground">
            Parley is real-time chat for teams, with an API for your tools and an audit trail for
            everything done with it. Who may read what is enforced by the database itself.
          </p>
          <div className="flex flex-wrap gap-3">
            <Button asChild>
              <Link href="/sign-up">Create an account</Link>
            </Button>
            <Button asChild variant="outline">
              <Link href="/sign-in">Sign in</Link>
            </Button>
          </div>
        </section>
        <section aria-labelledby="landing-features">
          <h2 id="landing-features" className="sr-only">
            What Parley does
          </h2>
          <ul className="grid gap-6 sm:grid-cols-2">
            {FEATURES.map(({ icon: Icon, title, text }) => (
              <li key={title} className="rounded-lg border bg-card p-5">
                <Icon aria-hidden="true" className="mb-3 size-6 text-primary-text" />
                <h3 className="font-semibold">{title}</h3>
                <p className="mt-1 text-sm text-muted-foreground">{text}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="mx-auto w-full max-w-5xl px-6 py-6 text-sm text-muted-foreground">
        <Link href="/docs/api" className="hover:underline">
          API documentation
        </Link>
      </footer>
    </div>
  );
}
