/** Saves `content` as a file named `name` through the browser's download (nothing leaves the machine). */
export function downloadFile(name: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; the URL is freed a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
