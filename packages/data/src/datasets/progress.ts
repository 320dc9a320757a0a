/** A one-line progress text, e.g. `"1.2 MB / 4.9 MB (24%)"`, for download progress bars. */
export function formatProgress(received: number, total: number | undefined): string {
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  return total ? `${mb(received)} / ${mb(total)} (${Math.floor((100 * received) / total)}%)` : mb(received);
}
