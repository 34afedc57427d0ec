/** A session's material in Swedish: the kinds of file, sizes and the page's words. */
const TYPE_LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
  "image/png": "PNG-bild",
  "image/jpeg": "JPEG-bild",
  "image/gif": "GIF-bild",
  "image/webp": "WebP-bild",
};

export function materialTypeLabel(contentType: string | null): string {
  return (contentType && TYPE_LABELS[contentType]) || "Fil";
}

/** "840 kB", "2,4 MB": sizes as Swedish readers write them. */
export function fileSizeLabel(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
  return `${(bytes / 1024 / 1024).toLocaleString("sv-SE", { maximumFractionDigits: 1 })} MB`;
}

export const materialText = {
  heading: "Material",
  none: "Inget material än.",
  external: "extern länk",
  flashes: {
    link: "Länken är tillagd.",
    file: "Filen är tillagd.",
    remove: "Materialet är borttaget.",
  } as Record<string, string>,
};
