import { formatDuration, isLandscape, type VideoShape } from "./use-video-duration";

function orientation(shape: VideoShape) {
  if (shape.width === shape.height) return "square";
  return shape.width > shape.height ? "landscape" : "vertical";
}

/**
 * What the browser read from the video — frame size, orientation, length — and, for a landscape
 * video, the platform's consequence in words (`landscape`).
 */
export function VideoShapeNote({ shape, landscape }: { shape: VideoShape | null; landscape: string }) {
  if (!shape || shape.height === 0) return null;
  return (
    <>
      <p className="-mt-2 text-muted-foreground text-xs" data-testid="video-shape">
        {shape.width}×{shape.height}, {orientation(shape)}
        {shape.sec != null && `, ${formatDuration(shape.sec)}`}
      </p>
      {isLandscape(shape) && (
        <p role="status" className="-mt-2 text-sm text-warning" data-testid="video-landscape">
          This video is landscape ({shape.width}×{shape.height}). {landscape}
        </p>
      )}
    </>
  );
}
