/** The server refuses data URLs longer than this (about 150 KB of image once base64-encoded). */
export const MAX_DATA_URL_LENGTH = 200_000;

function loadImage(file: File): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("That file could not be read as an image"));
    };
    img.src = url;
  });
}

/**
 * Scales an image so its longer side is at most `maxSize` px and encodes it as a data URL small
 * enough for the server: PNG keeps transparency, JPEG steps in when the PNG is too heavy.
 */
export async function resizeImageToDataUrl(file: File, maxSize = 256): Promise<string> {
  if (!file.type.startsWith("image/")) throw new Error("Choose an image file (PNG, JPEG, GIF, WebP or SVG)");
  const img = await loadImage(file);
  const width = img.naturalWidth || maxSize;
  const height = img.naturalHeight || maxSize;
  const scale = Math.min(1, maxSize / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("Your browser could not process the image");
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);

  const png = canvas.toDataURL("image/png");
  if (png.length <= MAX_DATA_URL_LENGTH) return png;

  // JPEG has no alpha channel: paint transparent areas white rather than black.
  const flat = document.createElement("canvas");
  flat.width = canvas.width;
  flat.height = canvas.height;
  const flatCtx = flat.getContext("2d");
  if (!flatCtx) throw new Error("Your browser could not process the image");
  flatCtx.fillStyle = "#ffffff";
  flatCtx.fillRect(0, 0, flat.width, flat.height);
  flatCtx.drawImage(canvas, 0, 0);
  for (const quality of [0.9, 0.8, 0.65, 0.5]) {
    const jpeg = flat.toDataURL("image/jpeg", quality);
    if (jpeg.length <= MAX_DATA_URL_LENGTH) return jpeg;
  }
  throw new Error("That image is too detailed to fit in 150 KB; try a simpler one");
}
