/**
 * Save text as a file through a Blob URL and a temporary <a download>. The URL is revoked a little
 * later, not at once: some browsers start reading the Blob after click() returns.
 */
export type DownloadFn = (text: string, fileName: string, mimeType: string) => void;

export const REVOKE_AFTER_MS = 30_000;

export const downloadText: DownloadFn = (text, fileName, mimeType) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
};
