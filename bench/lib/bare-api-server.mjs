// The `api` benchmark's "bare server": plain Node `http` + `pg`, answering GET /leads?limit=20 with
// the same two statements the REST route runs (the API key's row by its hash, then one page of the
// workspace's leads) and the same JSON. No framework, no validation, no rate limit: the ceiling the
// REST route is compared with. PORT and DATABASE_URL from the environment.
import { createHash } from "node:crypto";
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const KEY_SQL = `select k.id, k.workspace_id, k.scopes, k.last_used_at, k.created_by, m.role
  from api_keys k left join workspace_members m on m.workspace_id = k.workspace_id and m.user_id = k.created_by
  where k.key_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())`;
const PAGE_SQL = `select id, email, name, tags, source, status, custom_fields, created_at, updated_at,
  created_at::text as sort_key from leads where workspace_id = $1
  order by created_at desc, id desc limit $2`;

const server = http.createServer(async (req, res) => {
  try {
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const limit = Number(new URL(req.url, "http://x").searchParams.get("limit") ?? 20);
    const { rows: keys } = await pool.query(KEY_SQL, [
      createHash("sha256")
        .update(key ?? "")
        .digest("hex"),
    ]);
    if (!keys[0]) {
      res.writeHead(401).end();
      return;
    }
    const { rows } = await pool.query(PAGE_SQL, [keys[0].workspace_id, limit + 1]);
    const page = rows.slice(0, limit).map(({ sort_key: _, ...r }) => r);
    const more = rows.length > limit;
    const body = JSON.stringify({
      data: page,
      nextCursor: more ? Buffer.from(page.at(-1).id).toString("base64url") : null,
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("listening\n"));
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => server.close(() => pool.end().then(() => process.exit(0))));
