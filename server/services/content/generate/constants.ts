import "server-only";
export const GENERATE_CONTENT_KIND = "generate-content";
export const OFFLINE_GENERATOR = "offline-template";
export const OFFLINE_NOTE =
  "Drafted offline from a template — connect an AI provider in Integrations for tailored copy.";

export const TITLE_MAX = 500;
export const EMAIL_SUBJECT_MAX = 200;
export const EMAIL_PREHEADER_MAX = 200;
export const BLOG_EXCERPT_MAX = 500;
export const SEO_TITLE_MAX = 70;
export const SEO_DESCRIPTION_MAX = 160;
export const BLOG_TAG_MAX = 40;
export const BLOG_TAGS_MAX = 20;
export const TIKTOK_HASHTAGS_MAX = 10;
