"use client";

// The root error boundaries load with every page, the public blog's included: plain elements (an <a>,
// not next/link), fixed classes (the default and outline buttons' look), no icon library or class
// merging.
const BUTTON =
  "inline-flex h-9 items-center justify-center rounded-md px-4 py-2 text-sm font-medium outline-none transition-all focus-visible:ring-[3px] focus-visible:ring-ring/50";

export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 py-16 text-center">
      <span className="flex size-12 items-center justify-center rounded-full bg-destructive/10 text-destructive">
        {/* lucide's triangle-alert */}
        <svg
          className="size-6"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden
        >
          <path d="m21.73 18-8-14a2 2 0 0 0-3.48 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.73-3" />
          <path d="M12 9v4" />
          <path d="M12 17h.01" />
        </svg>
      </span>
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-muted-foreground">
        This part of the page could not be shown. Try again; if it keeps happening, share the reference below
        with your admin.
      </p>
      {error.digest && <code className="rounded bg-muted px-2 py-1 text-xs">Reference: {error.digest}</code>}
      <div className="flex gap-2">
        <button
          type="button"
          onClick={reset}
          className={`${BUTTON} bg-primary text-primary-foreground shadow-xs hover:bg-primary/90`}
        >
          Try again
        </button>
        <a
          href="/"
          className={`${BUTTON} border bg-background shadow-xs hover:bg-accent hover:text-accent-foreground`}
        >
          Go home
        </a>
      </div>
    </div>
  );
}
