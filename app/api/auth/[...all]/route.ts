import { getAuth } from "@/server/auth";
import { observed } from "@/server/observability/http";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const auth = await getAuth();
  return auth.handler(req);
}

const observedHandler = observed("/api/auth/[...all]", handler);

export { observedHandler as GET, observedHandler as POST };
