import { getDb } from "@/server/db";
import { handleUpload, uploadTooLargeResponse } from "@/server/media-http";
import { getSessionUser } from "@/server/session";

export const dynamic = "force-dynamic";

/** Multipart upload into a workspace's media library; see `handleUpload` for the contract. */
export async function POST(req: Request) {
  const user = await getSessionUser(req.headers);
  // Refuse before reading a body nobody may send.
  if (!user) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const tooLarge = uploadTooLargeResponse(req.headers);
  if (tooLarge) return tooLarge;
  let formData: FormData;
  try {
    formData = await req.formData();
  } catch {
    return Response.json({ error: "Send the file as multipart/form-data" }, { status: 400 });
  }
  return handleUpload({ db: await getDb(), user, formData, headers: req.headers });
}
