import { eq } from "drizzle-orm";
import { z } from "zod";
import { sessions } from "@/server/db/schema";
import { ConflictError, ValidationError } from "@/server/errors";
import { emailSchema } from "@/server/services/workspaces/schemas";
import { described } from "../catalog";
import { defineCommand, findUserByEmail, requiredFlag, withDb } from "../util";

export default defineCommand({
  ...described("create-user"),
  options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  schema: z.object({
    email: requiredFlag("email").pipe(emailSchema),
    password: requiredFlag("password")
      .min(8, "Use at least 8 characters")
      .max(128, "Use at most 128 characters"),
    name: z.string().trim().min(1, "Name can't be blank").max(255).optional(),
  }),
  async run({ email, password, name }) {
    // The app's modules load only to run the command: a refused flag answers at once.
    const { createAuth } = await import("@/server/auth");
    return withDb(async ({ db }) => {
      if (await findUserByEmail(db, email))
        throw new ConflictError(`A user with email ${email} already exists`);
      // An operator creating an account sends no verification mail; `verify-email` vouches instead.
      const auth = createAuth(db, { sendVerificationOnSignUp: false });
      let result: Awaited<ReturnType<typeof auth.api.signUpEmail>>;
      try {
        // better-auth hashes the password its own way, so the user can sign in on the web.
        result = await auth.api.signUpEmail({
          body: { email, password, name: name ?? email.split("@")[0]! },
        });
      } catch (err) {
        const e = err as { name?: string; statusCode?: number; message?: string };
        if (e.name === "APIError" && (e.statusCode ?? 500) < 500)
          throw new ValidationError(e.message ?? "Refused");
        throw err;
      }
      // Should signUpEmail ever sign the new user in, nobody would hold that session's token: drop it.
      if (result.token) await db.delete(sessions).where(eq(sessions.token, result.token));
      const user = { id: result.user.id, email: result.user.email, name: result.user.name };
      return { json: user, human: `Created user ${user.email} (id ${user.id}).` };
    });
  },
});
