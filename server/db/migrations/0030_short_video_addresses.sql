-- Posts made by Post everywhere before this release carried only the library video's id
-- (`mediaId`): their editors showed no video, and saving one dropped it. Give each its library
-- address, as every other short video has. Filenames are stored URL-safe (safeFilename), so the
-- address is the id and the name joined.
UPDATE "content" AS c
SET "metadata" = jsonb_set(
  c."metadata",
  ARRAY[c."type"::text, 'videoUrl'],
  to_jsonb('/api/media/' || m."id"::text || '/' || m."filename")
)
FROM "media_assets" AS m
WHERE c."type" IN ('youtube', 'instagram')
  AND m."workspace_id" = c."workspace_id"
  AND m."id"::text = c."metadata" -> c."type"::text ->> 'mediaId'
  AND coalesce(c."metadata" -> c."type"::text ->> 'videoUrl', '') = '';
