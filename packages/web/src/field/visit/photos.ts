/**
 * Photos are compressed on the phone before they are stored or sent: a weak signal carries a
 * 300 KB JPEG, not a 5 MB original.
 */

/** Longest side of a compressed photo, in pixels. */
export const PHOTO_MAX_SIDE = 1600;
/** JPEG quality of a compressed photo. */
export const PHOTO_QUALITY = 0.7;
/** Photos a visit may carry (the server takes 20 attachments, signatures included). */
export const PHOTO_MAX_COUNT = 9;

/** The size that fits within `max` on its longest side, keeping the proportions (never enlarged). */
export function fitWithin(
  width: number,
  height: number,
  max: number = PHOTO_MAX_SIDE,
): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max || longest === 0) return { width, height };
  const scale = max / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** A file size in words: 320 KB, 1.4 MB. */
export function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function decode(file: Blob): Promise<CanvasImageSource & { width: number; height: number }> {
  if (typeof createImageBitmap === 'function') {
    // Applies the photo's EXIF orientation (a portrait taken upright stays upright).
    return createImageBitmap(file, { imageOrientation: 'from-image' });
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A photo as a JPEG at most 1600 px on its longest side, quality 0.7. A file the browser cannot
 * decode is refused with a message the visitor can act on.
 */
export async function compressPhoto(file: Blob): Promise<Blob> {
  let image: Awaited<ReturnType<typeof decode>>;
  try {
    image = await decode(file);
  } catch {
    throw new Error('无法读取这张照片，请换一张或重新拍摄');
  }
  const { width, height } = fitWithin(image.width, image.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('手机无法处理照片，请重试');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  if ('close' in image && typeof image.close === 'function') image.close();
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY),
  );
  if (!blob) throw new Error('照片压缩失败，请重试');
  return blob;
}
