import "server-only";
import { instagramPlatform } from "./instagram/platform";
import type { VideoPlatform, VideoPlatformId } from "./platform";
import { tiktokPlatform } from "./tiktok/platform";
import { youtubePlatform } from "./youtube/platform";

/** Every short-video platform by id: publishing, connecting, metrics and health pick from here. */
export const VIDEO_PLATFORMS: Record<VideoPlatformId, VideoPlatform> = {
  tiktok: tiktokPlatform,
  youtube: youtubePlatform,
  instagram: instagramPlatform,
};

export const VIDEO_PLATFORM_IDS = Object.keys(VIDEO_PLATFORMS) as VideoPlatformId[];

export function isVideoPlatform(type: string): type is VideoPlatformId {
  return type in VIDEO_PLATFORMS;
}
