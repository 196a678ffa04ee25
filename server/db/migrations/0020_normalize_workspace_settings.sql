-- workspaces.settings to the shape of its section schemas (server/services/workspaces/schemas.ts).
-- Reads also accept the old shapes; this makes the rows match what is written now.
-- A value that is not a JSON object becomes an empty one.
UPDATE "workspaces" SET "settings" = '{}'::jsonb WHERE jsonb_typeof("settings") IS DISTINCT FROM 'object';
--> statement-breakpoint
-- The brand voice and products were top-level keys: now the "brand" section (a section already
-- written wins over stale top-level keys).
UPDATE "workspaces"
SET "settings" = ("settings" - 'brandVoice' - 'products')
  || CASE WHEN "settings" ? 'brand' THEN '{}'::jsonb ELSE jsonb_build_object(
    'brand',
    (CASE WHEN "settings" ? 'brandVoice' THEN jsonb_build_object('brandVoice', "settings" -> 'brandVoice') ELSE '{}'::jsonb END)
      || (CASE WHEN "settings" ? 'products' THEN jsonb_build_object('products', "settings" -> 'products') ELSE '{}'::jsonb END)
  ) END
WHERE "settings" ? 'brandVoice' OR "settings" ? 'products';
--> statement-breakpoint
-- Products kept as bare names become { "name": … }; a numeric price becomes text.
UPDATE "workspaces"
SET "settings" = jsonb_set("settings", '{brand,products}', (
  SELECT coalesce(jsonb_agg(
    CASE
      WHEN jsonb_typeof(e.p) = 'string' THEN jsonb_build_object('name', e.p #>> '{}')
      WHEN jsonb_typeof(e.p) = 'object' AND jsonb_typeof(e.p -> 'price') = 'number'
        THEN jsonb_set(e.p, '{price}', to_jsonb(e.p ->> 'price'))
      ELSE e.p
    END ORDER BY e.ord), '[]'::jsonb)
  FROM jsonb_array_elements("settings" -> 'brand' -> 'products') WITH ORDINALITY AS e(p, ord)
))
WHERE jsonb_typeof("settings" -> 'brand' -> 'products') = 'array';
--> statement-breakpoint
-- Sender settings saved before reply-to and the send rate existed get their defaults.
UPDATE "workspaces"
SET "settings" = jsonb_set(
  "settings",
  '{sender}',
  jsonb_build_object('replyTo', '', 'sendRatePerSecond', 10) || ("settings" -> 'sender')
)
WHERE jsonb_typeof("settings" -> 'sender') = 'object'
  AND NOT (("settings" -> 'sender') ? 'replyTo' AND ("settings" -> 'sender') ? 'sendRatePerSecond');
