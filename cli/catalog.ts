/**
 * What `help` lists: each command's name, one-line summary and flags. Apart from the commands
 * themselves, whose modules load the app (seconds), so that `help`, a bare `npm run cli` and an
 * unknown command answer at once. Each command takes its entry with `described(name)`.
 */
export const CATALOG = {
  migrate: {
    summary: "Apply the committed database migrations",
    usage: "",
  },
  "create-user": {
    summary: "Create a user who can sign in with email and password",
    usage: "--email <email> --password <password> [--name <name>]",
  },
  "create-workspace": {
    summary: "Create a workspace owned by an existing user",
    usage: "--owner <email> --name <name> [--slug <slug>]",
  },
  "seed-demo": {
    summary: "Fill a workspace with a 90-day demo story: leads, content, orders, campaigns (safe to rerun)",
    usage: "--workspace <slug>",
  },
  "create-api-key": {
    summary: "Create an API key for a workspace; the key is printed once",
    usage: "--workspace <slug> --name <name> [--scopes read,write] [--expires-in-days <days>]",
  },
  "verify-email": {
    summary: "Mark a user's email address as verified (when no mail server can deliver the link)",
    usage: "--email <email>",
  },
  "instance-admin": {
    summary: "Let a user manage this install's app credentials (Settings → Instance), or with --revoke stop",
    usage: "--email <email> [--revoke]",
  },
  backup: {
    summary:
      "Write a backup of the database to a file (pg_dump custom format, or PGlite's dump when embedded)",
    usage: "--out <file>",
  },
  restore: {
    summary: "Restore a backup made by `backup` into the database (refuses a non-empty one unless --force)",
    usage: "--in <file> [--force]",
  },
  doctor: {
    summary:
      "Check the deployment (APP_URL, secrets, database and migrations, Redis, S3, SMTP, DNS) and say what to fix; exit 1 on a failure",
    usage: "",
  },
} as const satisfies Record<string, { summary: string; usage: string }>;

export type CommandName = keyof typeof CATALOG;

/** A command's name, summary and usage, for its `defineCommand`. */
export function described(name: CommandName) {
  return { name, ...CATALOG[name] };
}
