/** How people name each content type as a platform (analytics, Overview, CSV headers). Browser-safe. */
export const PLATFORM_LABEL: Record<string, string> = {
  tiktok: "TikTok",
  youtube: "YouTube Shorts",
  instagram: "Instagram Reels",
  blog: "Blog",
  email: "Email",
};

export const platformLabel = (platform: string) => PLATFORM_LABEL[platform] ?? platform;
